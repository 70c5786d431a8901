-- One row per cooperative registered in the latest data update of its kab/kota in the configured region: its
-- current state. A number listed in the latest updates of two kab/kota of a province (a register error) keeps
-- the more recent update's row. No personal data.
select * exclude (next_update_date, is_latest_update, updates_since)
from {{ ref('cooperative_history') }}
where is_latest_update
qualify row_number() over (
    partition by cooperative_number order by update_date desc, source_path desc, source_row desc
) = 1
