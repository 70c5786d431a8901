-- Permit applications by kab/kota, kecamatan, KBLI category and division, sector group, business scale,
-- risk level, permit type and month of issue.
select
    regency_code,
    kecamatan_code,
    coalesce(kecamatan_official_name, 'Tidak diketahui') as kecamatan_name,
    kbli_category,
    kbli_division,
    sector_group,
    business_scale,
    risk_level,
    permit_type,
    issue_year,
    issue_month,
    count(*) as permits
from {{ ref('msme_permits') }}
group by all
