-- Assessment year x health category in the configured region: cooperatives assessed. Every category of the bands
-- version appears for every assessed year (0 when none), so "no Sehat in 2023" is a row, not a missing one.
with assessments as (select * from {{ ref('cooperative_health_assessments') }}),
categories as (
    select category, category_label, category_order
    from {{ ref('cooperative_health_bands') }}
    where bands_version = '{{ var("cooperative_health_bands_version") }}'
    union all
    select 'tidak_diketahui', {{ coop_code_label('category', "'tidak_diketahui'") }}, 99
),
years as (select distinct assessment_year from assessments),

counts as (
    select
        assessment_year,
        category,
        count(*) as cooperatives,
        count(*) filter (where category_source = 'recorded') as from_recorded,
        count(*) filter (where category_source = 'scores') as from_scores,
        count(*) filter (where recorded_label_system = 'legacy_five_class') as from_legacy_labels,
        count(*) filter (where recorded_disagrees_with_scores) as recorded_disagrees_with_scores
    from assessments
    group by all
)

select
    years.assessment_year,
    categories.category,
    categories.category_label,
    categories.category_order,
    coalesce(counts.cooperatives, 0) as cooperatives,
    coalesce(counts.from_recorded, 0) as from_recorded,
    coalesce(counts.from_scores, 0) as from_scores,
    coalesce(counts.from_legacy_labels, 0) as from_legacy_labels,
    coalesce(counts.recorded_disagrees_with_scores, 0) as recorded_disagrees_with_scores,
    cast(sum(coalesce(counts.cooperatives, 0)) over (partition by years.assessment_year) as bigint) as assessed_in_year,
    '{{ var("cooperative_health_bands_version") }}' as bands_version
from years
cross join categories
left join counts
    on counts.assessment_year = years.assessment_year and counts.category = categories.category
-- tidak_diketahui only where it happened
where categories.category <> 'tidak_diketahui' or counts.cooperatives is not null
