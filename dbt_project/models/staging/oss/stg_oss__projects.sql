-- One row per OSS project (id_proyek), newest export first. KBLI and investment live here. A project whose NIB is
-- blank or malformed is kept (nib NULL; 'nib' in unparsed_columns when malformed).
with ranked as ({{ oss_exports_ranked(source('oss', 'oss_project'), 'tanggal_pengajuan_proyek', 'id_proyek') }})

select
    id_proyek as project_id,
    nib,
    tanggal_terbit_oss as nib_issued_on,
    nama_perusahaan as business_name,
    uraian_jenis_perusahaan as company_type,
    uraian_status_penanaman_modal as investment_status,
    nama_proyek as project_name,
    uraian_jenis_proyek as project_type,
    uraian_risiko_proyek as risk_label,
    uraian_skala_usaha as oss_scale_label,
    {{ scale_from_label('uraian_skala_usaha') }} as oss_scale,
    tanggal_pengajuan_proyek as submitted_on,
    kbli,
    judul_kbli as kbli_title,
    kl_sektor_pembina as supervising_ministry,
    kab_kota_usaha as regency_name,
    kecamatan_usaha as kecamatan_name,
    kelurahan_usaha as kelurahan_name,
    jumlah_investasi as investment_amount,
    hasil_penjualan_tahunan as annual_sales,
    tki as workers,
    luas_tanah as land_area,
    satuan_tanah as land_area_unit,
    _unparsed_columns as unparsed_columns,
    _export_as_of as export_as_of,
    {{ source_columns(columns=['path', 'row']) }}
from ranked
where export_rank = 1
