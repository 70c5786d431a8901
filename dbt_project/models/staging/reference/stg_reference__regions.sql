-- Kemendagri regions with the normalised keys used to match loosely spelled place names.
select
    kode as region_code,
    nama as region_name,
    tingkat as region_level,
    kode_induk as parent_code,
    left(kode, 2) as province_code,
    case when tingkat <> 'provinsi' then left(kode, 5) end as regency_code,
    case when tingkat in ('kecamatan', 'desa_kelurahan') then left(kode, 8) end as kecamatan_code,
    case when tingkat = 'kab_kota' then {{ regency_key('nama') }} else {{ place_key('nama') }} end as name_key,
    case when tingkat = 'kab_kota' then {{ regency_base_key('nama') }} end as regency_base_key
from {{ ref('wilayah_kemendagri_2025') }}
