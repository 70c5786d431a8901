-- Businesses per KBLI 2020 category (kategori letter of the primary KBLI: C = Industri pengolahan, divisions
-- 10-33, food and drink manufacturing included), all time and recently registered, ranked by recent
-- registrations. The kuliner grouping (divisions 10, 11, 56 taken out of C and I) is msme_sectors.
with categories as (
    select
        coalesce(kbli_category, 'tidak_diketahui') as kbli_category,
        count(*) as businesses,
        count(*) filter (where is_recent_registration) as recent_businesses
    from {{ ref('msme_businesses') }}
    group by all
)

select
    kbli_category,
    {{ msme_code_label('kbli_category', 'kbli_category') }} as kbli_category_label,
    businesses,
    recent_businesses,
    rank() over (order by recent_businesses desc) as rank_by_recent_businesses
from categories
