-- Businesses per sector group (the kuliner grouping of seed kbli_sector_groups, else the KBLI category), all time
-- and recently registered (within var new_registration_days of the latest registration), ranked by recent
-- registrations. The plain KBLI-category breakdown (C with divisions 10-11) is msme_kbli_categories.
with sectors as (
    select
        coalesce(sector_group, 'tidak_diketahui') as sector_group,
        coalesce(any_value(sector_label), 'Tidak diketahui') as sector_label,
        count(*) as businesses,
        count(*) filter (where is_recent_registration) as recent_businesses
    from {{ ref('msme_businesses') }}
    group by all
)

select
    sector_group,
    {{ msme_code_label('sector_group', 'sector_group') }} as sector_group_label,
    -- Deprecated alias of sector_group_label (the name before issue 12).
    sector_label,
    businesses,
    recent_businesses,
    rank() over (order by recent_businesses desc) as rank_by_recent_businesses,
    -- Deprecated aliases of recent_businesses / rank_by_recent_businesses (the names before issue 12).
    recent_businesses as new_businesses,
    rank() over (order by recent_businesses desc) as rank_by_new_businesses
from sectors
