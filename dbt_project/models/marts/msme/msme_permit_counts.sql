-- Permit applications by kab/kota, kecamatan, KBLI category and division, sector group, business scale,
-- risk level, permit type and month of issue, each code with its Indonesian label.
select
    regency_code,
    kecamatan_code,
    coalesce(kecamatan_official_name, 'Tidak diketahui') as kecamatan_name,
    kbli_category,
    kbli_category_label,
    kbli_division,
    kbli_division_label,
    sector_group,
    sector_group_label,
    business_scale,
    business_scale_label,
    risk_level,
    risk_level_label,
    permit_type,
    issue_year,
    issue_month,
    count(*) as permits
from {{ ref('msme_permits') }}
group by all
