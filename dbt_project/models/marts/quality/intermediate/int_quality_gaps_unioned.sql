-- Every gap flagged in this refresh, all sources, with its stable identity (gap_id) for the history.
-- gap_id = region + source + entity + record + gap type + column: the same problem on the same record keeps its
-- id across refreshes even when its value changes.
with flagged as (
    select * from {{ ref('int_ingest_gaps_flagged') }}
    union all by name
    select * from {{ ref('int_msme_gaps_flagged') }}
    union all by name
    select * from {{ ref('int_cooperative_gaps_flagged') }}
    union all by name
    select * from {{ ref('int_event_gaps_flagged') }}
    union all by name
    select * from {{ ref('int_update_gaps_flagged') }}
)

select
    md5(concat_ws('|', '{{ var("region_code") }}', source, entity, record_key, gap_type, coalesce(column_name, '')))
        as gap_id,
    '{{ var("region_code") }}' as region_code,
    source,
    entity,
    record_key,
    record_label,
    gap_type,
    column_name,
    cast(value as varchar) as value,
    cast(detail as varchar) as detail,
    source_path,
    source_row
from flagged
-- One row per gap even if two rules of a model flag the same record and column twice.
qualify row_number() over (partition by gap_id order by source_path nulls last, source_row nulls last) = 1
