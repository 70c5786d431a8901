-- One row per cooperative per assessment year in the configured region: scores, recorded and derived category.
-- Columns listed (not select *) so that each label sits beside its code.
with assessments as (
    select *
    from {{ ref('int_cooperative_health_categorized') }}
    where {{ in_region('regency_code') }}
)

select
    cooperative_number,
    assessment_year,
    cooperative_name,
    regency_code,
    regency_basis,
    score_tata_kelola,
    score_profil_risiko,
    score_kinerja_keuangan,
    score_permodalan,
    mean_score,
    category_recorded_exported,
    category_recorded,
    recorded_label_system,
    category_from_scores,
    category_recorded_match,
    category,
    {{ coop_category_label('assessments.category') }} as category_label,
    category_source,
    {{ coop_code_label('category_source', 'assessments.category_source') }} as category_source_label,
    bands_version,
    recorded_disagrees_with_scores,
    recorded_label_unrecognised,
    assessment_rows,
    source_path,
    source_sheet,
    source_row
from assessments
