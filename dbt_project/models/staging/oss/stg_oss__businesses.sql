-- One row per NIB: the newest export's version of each business across all NIB-list exports.
with exports as ({{ oss_exports_ranked(source('oss', 'oss_nib'), 'tanggal_terbit_oss', 'nib') }}),

ranked as (
    select
        *,
        count(*) over (partition by nib) as export_rows,
        count(distinct tanggal_terbit_oss) over (partition by nib) as distinct_registration_dates
    from exports
)

select
    nib,
    tanggal_terbit_oss as registered_on,
    nama_perusahaan as business_name,
    status_penanaman_modal as investment_status,
    uraian_jenis_perusahaan as company_type,
    uraian_skala_usaha as oss_scale_label,
    {{ scale_from_label('uraian_skala_usaha') }} as oss_scale,
    kelurahan as kelurahan_name,
    kecamatan as kecamatan_name,
    kab_kota as regency_name,
    email_valid,
    nomor_telp_valid,
    export_rows,
    distinct_registration_dates > 1 as has_conflicting_registration_dates,
    _export_as_of as export_as_of,
    {{ source_columns() }}
from ranked
where export_rank = 1
