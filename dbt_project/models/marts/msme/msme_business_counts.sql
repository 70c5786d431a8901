-- Registered businesses by kab/kota, kecamatan, KBLI category and division, sector group, scale and
-- registration month, each code with its Indonesian label. Sum `businesses` over any subset of the dimensions.
select
    regency_code,
    regency_official_name as regency_name,
    kecamatan_code,
    coalesce(kecamatan_official_name, 'Tidak diketahui') as kecamatan_name,
    kbli_category,
    kbli_category_label,
    kbli_division,
    kbli_division_label,
    sector_group,
    sector_group_label,
    scale,
    scale_label,
    registration_year,
    registration_month,
    count(*) as businesses,
    count(*) filter (where is_recent_registration) as recent_businesses,
    -- Deprecated alias of recent_businesses (the name before issue 12).
    count(*) filter (where is_recent_registration) as new_businesses
from {{ ref('msme_businesses') }}
group by all
