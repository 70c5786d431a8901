-- Update checks (pemutakhiran): each source family's latest update compared with the previous one.
-- One row per check: row_count (rows fell by more than var quality_update_row_drop_share), records_vanished
-- (records of the previous update missing from the latest), column_empty (a column filled before, empty in every
-- row now), total (a sum moved by more than var quality_update_total_change_share). flagged = the check fired.
-- Permit exports are periodic (a month, a year): an update = every export with the same as-of date (title rows
-- or file name, else its latest date), and row counts, vanished records and totals are compared only over the
-- dates both updates cover. Cooperative registry updates are snapshots (update date = Tanggal Pemutakhiran, else
-- the export's date): compared whole, for the configured region.
with nib_rows as (
    select *, {{ export_as_of('tanggal_terbit_oss') }} as _update, nib as _key, tanggal_terbit_oss as _record_date
    from {{ source('oss', 'oss_nib') }}
),

project_rows as (
    select *, {{ export_as_of('tanggal_pengajuan_proyek') }} as _update, id_proyek as _key,
        tanggal_pengajuan_proyek as _record_date
    from {{ source('oss', 'oss_project') }}
),

permit_rows as (
    select *, {{ export_as_of('tgl_izin') }} as _update, id_permohonan_izin as _key, tgl_izin as _record_date
    from {{ source('oss', 'oss_permit') }}
),

registry_rows as (
    select *, update_date as _update, cooperative_number as _key, null::date as _record_date
    from {{ ref('int_cooperative_updates_classified') }}
    where {{ in_region('regency_code') }}
)

{{ quality_compare_updates('nib_rows', 'permits', 'oss_nib',
                           quality_raw_columns(source('oss', 'oss_nib')), [], true) }}
union all
{{ quality_compare_updates('project_rows', 'permits', 'oss_project',
                           quality_raw_columns(source('oss', 'oss_project')), ['jumlah_investasi', 'tki'], true) }}
union all
{{ quality_compare_updates('permit_rows', 'permits', 'oss_permit',
                           quality_raw_columns(source('oss', 'oss_permit')), [], true) }}
union all
{{ quality_compare_updates('registry_rows', 'cooperatives', 'coop_registry', [
    'cooperative_name', 'legal_entity_number', 'legal_entity_date', 'kecamatan_name_exported',
    'kelurahan_name_exported', 'bentuk_exported', 'jenis_exported', 'kelompok', 'sektor_usaha', 'status_exported',
    'rat_book_year', 'rat_date', 'members_male', 'members_female', 'managers', 'employees', 'modal_sendiri',
    'modal_luar', 'volume_usaha', 'aset', 'shu', 'digital_reporting_since'],
    ['members_male', 'members_female', 'modal_sendiri', 'volume_usaha', 'aset'], false) }}
