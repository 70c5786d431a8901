-- Businesses per sector group (kuliner, else KBLI category), all time and newly registered
-- (within var new_registration_days of the latest registration), ranked by new registrations.
select
    coalesce(sector_group, 'tidak_diketahui') as sector_group,
    coalesce(any_value(sector_label), 'Tidak diketahui') as sector_label,
    count(*) as businesses,
    count(*) filter (where is_new_registration) as new_businesses,
    rank() over (order by count(*) filter (where is_new_registration) desc) as rank_by_new_businesses
from {{ ref('msme_businesses') }}
group by all
