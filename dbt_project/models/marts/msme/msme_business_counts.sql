-- Registered businesses by kab/kota, kecamatan, KBLI category and division, sector group, scale and
-- registration month. Sum `businesses` over any subset of the dimensions.
select
    regency_code,
    regency_official_name as regency_name,
    kecamatan_code,
    coalesce(kecamatan_official_name, 'Tidak diketahui') as kecamatan_name,
    kbli_category,
    kbli_division,
    sector_group,
    scale,
    registration_year,
    registration_month,
    count(*) as businesses,
    count(*) filter (where is_new_registration) as new_businesses
from {{ ref('msme_businesses') }}
group by all
