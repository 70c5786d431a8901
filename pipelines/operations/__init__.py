"""Running the warehouse unattended: kept releases and rollback, failure alerts, the raw-folder trigger's
rules, and `umkm serve` (dagster-webserver + dagster-daemon). No Dagster assets here; the Dagster sensors
that use these live in pipelines/assets/sensors.py."""
