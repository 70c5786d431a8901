-- One gap per update check that fired (int_source_updates_compared): the record is the source family's latest
-- update; the gap stays open until a later update no longer trips the check.
with checks as (select * from {{ ref('int_source_updates_compared') }} where flagged),

labelled as (
    select
        *,
        case source when 'permits' then 'Ekspor ' else 'Pemutakhiran ' end || family || ' per '
            || strftime(latest_update, '%d-%m-%Y') || ' dibanding ' || strftime(previous_update, '%d-%m-%Y')
            || case when window_start is not null
                then ' (periode yang sama ' || strftime(window_start, '%d-%m-%Y') || ' s.d. '
                    || strftime(window_end, '%d-%m-%Y') || ')' else '' end as record_label,
        cast(round(100 * abs(change_share)) as integer) as change_percent,
        cast(round(100 * threshold) as integer) as threshold_percent
    from checks
)

select
    source,
    'export_update' as entity,
    family || ':' || check_name || coalesce(':' || column_name, '') as record_key,
    record_label,
    case check_name
        when 'row_count' then 'update_row_count_drop'
        when 'column_empty' then 'update_column_emptied'
        when 'records_vanished' then 'update_records_vanished'
        when 'total' then 'update_total_moved'
    end as gap_type,
    column_name,
    case check_name
        when 'records_vanished' then cast(latest_value::bigint as varchar)
        when 'column_empty' then cast(previous_value::bigint as varchar) || ' baris terisi'
        else {{ quality_number('previous_value') }} || ' menjadi ' || {{ quality_number('latest_value') }}
    end as value,
    case check_name
        when 'records_vanished' then 'contoh: ' || examples
        when 'column_empty' then null
        else 'berubah ' || change_percent || '%, batas ' || threshold_percent || '%'
    end as detail,
    null as source_path,
    null::bigint as source_row
from labelled
