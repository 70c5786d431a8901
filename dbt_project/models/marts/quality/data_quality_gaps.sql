-- One row per flagged record of the configured region, open or resolved: what is wrong (gap type, Indonesian
-- label and message), where to fix it (source file and row), and since when (first_seen, last_seen, resolved_at).
with gaps as (
    select * from {{ ref('int_quality_gaps_tracked') }} where region_code = '{{ var("region_code") }}'
),
types as (select * from {{ ref('gap_types') }})

select
    gaps.gap_id,
    gaps.source,
    {{ gap_code_label('source', 'gaps.source') }} as source_label,
    gaps.entity,
    gaps.record_key,
    gaps.record_label,
    gaps.gap_type,
    types.label as gap_type_label,
    -- deprecated alias of gap_type_label (issue 12), kept for existing queries
    types.label as gap_label,
    types.severity,
    {{ gap_code_label('severity', 'types.severity') }} as severity_label,
    replace(replace(replace(replace(replace(replace(types.message_template,
        '{record}', coalesce(gaps.record_label, gaps.record_key)),
        '{column}', coalesce(gaps.column_name, '-')),
        '{value}', coalesce(gaps.value, '-')),
        '{detail}', coalesce(gaps.detail, '-')),
        '{file}', coalesce(gaps.source_path, '-')),
        '{row}', coalesce(cast(gaps.source_row as varchar), '-')) as message,
    gaps.column_name,
    gaps.value,
    gaps.detail,
    gaps.source_path,
    gaps.source_row,
    gaps.first_seen,
    gaps.last_seen,
    gaps.resolved_at,
    gaps.resolved_at is null as is_open,
    gaps.resolved_at is null and types.severity = 'critical' as is_blocking,
    gaps.region_code
from gaps
left join types using (gap_type)
