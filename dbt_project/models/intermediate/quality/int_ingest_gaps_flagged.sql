-- One row per data gap found while loading files (every source): rows the loader rejected (malformed NIB or
-- cooperative number, missing required value, unreadable date, ...) and files it could not load at all.
-- Rows of an unrecognised file are listed once, as the file (file_not_loaded), not row by row.
with rejects as (select * from {{ source('ingest', 'ingest_rejects') }}),
files as (select * from {{ source('ingest', 'ingest_files') }}),

row_gaps as (
    select
        source,
        'file_row' as entity,
        path || '#' || coalesce(sheet, '') || '#' || row_number as record_key,
        path || coalesce(' [' || sheet || ']', '') || ' baris ' || row_number as record_label,
        case
            when rule = 'nib_format' then 'nib_malformed'
            when rule in ('koperasi_id_format', 'pii_nik_format') then 'nik_malformed'
            else 'row_rejected'
        end as gap_type,
        column_name,
        value,
        message as detail,
        path as source_path,
        row_number as source_row
    from rejects
    where rule <> 'layout_unrecognised'
),

file_gaps as (
    select
        source,
        'file' as entity,
        path || '#' || coalesce(sheet, '') as record_key,
        path || coalesce(' [' || sheet || ']', '') as record_label,
        'file_not_loaded' as gap_type,
        null as column_name,
        status as value,
        coalesce(nullif(message, ''), 'status ' || status) as detail,
        path as source_path,
        null::bigint as source_row
    from files
    where status in ('unrecognised', 'unreadable', 'unsupported')
)

select * from row_gaps
union all
select * from file_gaps
