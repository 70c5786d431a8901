-- One row per cooperative per assessment year in the configured region: scores, recorded and derived category.
select *
from {{ ref('int_cooperative_health_categorized') }}
where {{ in_region('regency_code') }}
