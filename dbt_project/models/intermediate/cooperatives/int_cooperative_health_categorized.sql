-- One row per cooperative per assessment year (every region): the category the assessor recorded (legacy labels
-- mapped explicitly; read through int_cooperative_values_matched, exact or fuzzy), else the category of the mean
-- aspect score under the versioned bands (docs/cooperatives.md). A recorded label that is not recognised is never
-- replaced by the scores: the category is tidak_diketahui (category_source recorded_unrecognised) and a gap.
with assessments as (select * from {{ ref('stg_registry__health_assessments') }}),
labels as (select * from {{ ref('cooperative_health_labels') }}),
matched as (select * from {{ ref('int_cooperative_values_matched') }} where vocabulary = 'predikat'),
bands as (
    select *
    from {{ ref('cooperative_health_bands') }}
    where bands_version = '{{ var("cooperative_health_bands_version") }}'
),
registry as (select * from {{ ref('int_cooperative_updates_classified') }}),

-- Where the cooperative is: its most recent registry row that could be placed; else (a cooperative missing from
-- every register) the configured region when that is a kab/kota, as for a register without a Kab/Kota column.
placed as (
    select cooperative_number, regency_code
    from registry
    where regency_code is not null
    qualify row_number() over (partition by cooperative_number order by update_date desc) = 1
),

scored as (
    select
        assessments.*,
        -- Scores are rounded to 4 decimals and summed as decimals, so a band edge (mean exactly 66) is exact.
        cast(score_tata_kelola as decimal(12, 4)) + cast(score_profil_risiko as decimal(12, 4))
            + cast(score_kinerja_keuangan as decimal(12, 4)) + cast(score_permodalan as decimal(12, 4))
            as score_total,
        matched.code as category_recorded,
        coalesce(matched.match, 'blank') as category_recorded_match,
        labels.label_system as recorded_label_system
    from assessments
    left join matched on matched.value_exported = assessments.category_recorded_exported
    left join labels on labels.value_key = matched.matched_key
),

banded as (
    select
        scored.*,
        (
            select bands.category from bands
            where scored.score_total >= 4 * bands.min_mean_score
            order by bands.min_mean_score desc
            limit 1
        ) as category_from_scores
    from scored
)

select
    banded.cooperative_number,
    banded.assessment_year,
    banded.cooperative_name,
    coalesce(placed.regency_code, {{ coop_assumed_regency_code() }}) as regency_code,
    case
        when placed.regency_code is not null then 'registry'
        when {{ coop_assumed_regency_code() }} is not null then 'region_assumed'
    end as regency_basis,
    banded.score_tata_kelola,
    banded.score_profil_risiko,
    banded.score_kinerja_keuangan,
    banded.score_permodalan,
    cast(banded.score_total / 4 as decimal(12, 6)) as mean_score,
    banded.category_recorded_exported,
    banded.category_recorded,
    banded.recorded_label_system,
    banded.category_from_scores,
    banded.category_recorded_match,
    case
        when banded.category_recorded is not null then banded.category_recorded
        when banded.category_recorded_match = 'none' then 'tidak_diketahui'
        else coalesce(banded.category_from_scores, 'tidak_diketahui')
    end as category,
    case
        when banded.category_recorded is not null then 'recorded'
        when banded.category_recorded_match = 'none' then 'recorded_unrecognised'
        when banded.category_from_scores is not null then 'scores'
        else 'none'
    end as category_source,
    '{{ var("cooperative_health_bands_version") }}' as bands_version,
    coalesce(banded.category_recorded <> banded.category_from_scores, false) as recorded_disagrees_with_scores,
    banded.category_recorded_match = 'none' as recorded_label_unrecognised,
    banded.assessment_rows,
    banded.source_path,
    banded.source_sheet,
    banded.source_row
from banded
left join placed using (cooperative_number)
