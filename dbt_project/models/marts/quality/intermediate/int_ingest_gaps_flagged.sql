-- One row per data gap found while loading files (every source): rows the loader rejected (no own identity:
-- blank or malformed NIB of a NIB list, cooperative number, id), values it kept but could not read (a date, an
-- amount, a NIB referenced by a permit), date columns whose day/month order could not be decided, and files it
-- could not load at all. Rows of an unrecognised file are listed once, as the file (file_not_loaded).
{%- set families = [
    ('permits', 'oss', 'oss_nib'), ('permits', 'oss', 'oss_project'), ('permits', 'oss', 'oss_permit'),
    ('cooperatives', 'registry', 'coop_registry'), ('cooperatives', 'registry', 'coop_health'),
    ('events', 'events', 'event_info'), ('events', 'events', 'event_participant'),
    ('events', 'events', 'event_partner'),
] %}
with rejects as (select * from {{ source('ingest', 'ingest_rejects') }}),
files as (select * from {{ source('ingest', 'ingest_files') }}),

row_gaps as (
    select
        source,
        'file_row' as entity,
        {{ quality_file_row_key('path', 'sheet', 'row_number') }} as record_key,
        {{ quality_file_row_label('path', 'sheet', 'row_number') }} as record_label,
        case
            when rule = 'nib_format' then 'nib_malformed'
            when rule in ('koperasi_id_format', 'pii_nik_format') then 'nik_malformed'
            when rule = 'nomor_koperasi_terpotong' then 'nomor_koperasi_terpotong'
            else 'row_rejected'
        end as gap_type,
        column_name,
        value,
        -- nib_malformed says what became of the row: rejected here, kept without its NIB below.
        case when rule = 'nib_format' then 'baris ditolak dan tidak dihitung sampai diperbaiki' else message end
            as detail,
        path as source_path,
        row_number as source_row
    from rejects
    where rule <> 'layout_unrecognised'
),

-- Loaded rows with a value that did not parse: kept NULL in the raw table, its typed text (safe to show) here.
-- KBLI has its own gap types in the permit gaps (kbli_invalid); a NIB that is not a NIB is nib_malformed.
unparsed as (
    {%- for source_scope, source_name, table in families %}
    select
        '{{ source_scope }}' as source,
        '{{ table }}' as family,
        _path,
        _sheet,
        _row_number,
        unnest(map_keys(_unparsed_values)) as column_name,
        unnest(map_values(_unparsed_values)) as value
    from {{ source(source_name, table) }}
    where cardinality(_unparsed_values) > 0
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

unparsed_gaps as (
    select
        source,
        'file_row' as entity,
        -- The same record key as a reject of that row; the column tells two gaps of one row apart (gap_id).
        {{ quality_file_row_key('_path', '_sheet', '_row_number') }} as record_key,
        {{ quality_file_row_label('_path', '_sheet', '_row_number') }} as record_label,
        case when column_name = 'nib' then 'nib_malformed' else 'nilai_tidak_terbaca' end as gap_type,
        column_name,
        value,
        case when column_name = 'nib' then 'baris tetap dihitung tanpa NIB' else family end as detail,
        _path as source_path,
        _row_number as source_row
    from unparsed
    where column_name <> 'kbli'
),

-- Date columns whose values fit both day/month orders and nothing else in the file decided (read day-first).
date_orders as (
    select source, path, sheet, unnest(date_orders) as date_order
    from files
    where status = 'ingested'
),

date_order_gaps as (
    select
        source,
        'file' as entity,
        path || '#' || coalesce(sheet, '') || '#' || date_order.column_name as record_key,
        path || coalesce(' [' || sheet || ']', '') as record_label,
        'urutan_tanggal_tidak_pasti' as gap_type,
        date_order.column_name,
        case date_order.evidence
            when 'conflicting' then 'bukti bertentangan'
            else 'semua nilai cocok dengan kedua urutan'
        end as value,
        date_order.day_first_rows || ' baris hanya cocok hari-bulan, ' || date_order.month_first_rows
            || ' baris hanya cocok bulan-hari, ' || date_order.ambiguous_rows || ' baris cocok keduanya; dibaca '
            || case date_order.date_order when 'mdy' then 'bulan-hari' else 'hari-bulan' end as detail,
        path as source_path,
        null::bigint as source_row
    from date_orders
    where not date_order.certain
),

-- A register sheet whose update date is nowhere (title, file name, Tanggal Pemutakhiran column): its rows belong
-- to no update, so no cooperative of it is counted. Said here, so the register does not vanish silently.
undated_registers as (
    select
        'cooperatives' as source,
        'file' as entity,
        _path || '#' || coalesce(_sheet, '') as record_key,
        _path || coalesce(' [' || _sheet || ']', '') as record_label,
        'tanggal_pemutakhiran_tidak_diketahui' as gap_type,
        'tanggal_pemutakhiran' as column_name,
        cast(count(*) as varchar) as value,
        null as detail,
        _path as source_path,
        null::bigint as source_row
    from {{ source('registry', 'coop_registry') }}
    group by _path, _sheet
    having max(_file_date) is null and max(tanggal_pemutakhiran) is null
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
select * from unparsed_gaps
union all
select * from date_order_gaps
union all
select * from undated_registers
union all
select * from file_gaps
