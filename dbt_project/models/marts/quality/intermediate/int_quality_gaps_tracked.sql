{{ config(materialized='incremental', unique_key='gap_id', incremental_strategy='delete+insert',
          on_schema_change='append_new_columns') }}
-- The history of every gap ever flagged (incremental: the build file persists across refreshes, so this table
-- remembers): first_seen = the refresh that first flagged it, last_seen = the latest refresh that still did,
-- resolved_at = the first refresh that no longer did (NULL while open; cleared again if it comes back).
-- Gaps of another region (the same marts folder refreshed with another --region) are left untouched.
-- `dbt build --full-refresh` forgets the history: every open gap starts again with first_seen = now.
{%- set now = "'" ~ run_started_at.isoformat() ~ "'::timestamptz" %}
with current_gaps as (select * from {{ ref('int_quality_gaps_unioned') }})

{% if is_incremental() %}
, previous as (select * from {{ this }})

select
    coalesce(c.gap_id, p.gap_id) as gap_id,
    coalesce(c.region_code, p.region_code) as region_code,
    coalesce(c.source, p.source) as source,
    coalesce(c.entity, p.entity) as entity,
    coalesce(c.record_key, p.record_key) as record_key,
    coalesce(c.record_label, p.record_label) as record_label,
    coalesce(c.gap_type, p.gap_type) as gap_type,
    coalesce(c.column_name, p.column_name) as column_name,
    case when c.gap_id is not null then c.value else p.value end as value,
    case when c.gap_id is not null then c.detail else p.detail end as detail,
    case when c.gap_id is not null then c.source_path else p.source_path end as source_path,
    case when c.gap_id is not null then c.source_row else p.source_row end as source_row,
    coalesce(p.first_seen, {{ now }}) as first_seen,
    case when c.gap_id is not null then {{ now }} else p.last_seen end as last_seen,
    case
        when c.gap_id is not null then null
        when p.region_code <> '{{ var("region_code") }}' then p.resolved_at
        else coalesce(p.resolved_at, {{ now }})
    end as resolved_at
from current_gaps as c
full outer join previous as p on p.gap_id = c.gap_id
{% else %}
select
    *,
    {{ now }} as first_seen,
    {{ now }} as last_seen,
    null::timestamptz as resolved_at
from current_gaps
{% endif %}
