-- One row per MSME per event, linked to a registered business: by its NIB when the typed NIB is registered,
-- else by name within its kecamatan (rapidfuzz scores from int_event_names_scored, thresholds in vars
-- event_match_min_score / event_match_min_margin). Two candidates within the margin: 'ambiguous', flagged
-- for review with the candidate NIBs, never guessed.
{% set min_score = var('event_match_min_score') %}
{% set margin = var('event_match_min_margin') %}

with participants as (select * from {{ ref('int_event_participants_deduplicated') }}),
scores as (select * from {{ ref('int_event_names_scored') }}),
businesses as (select * from {{ ref('int_msme_businesses_classified') }}),

best as (
    select
        participant_id,
        max(score) filter (where candidate_rank = 1) as best_score,
        any_value(candidate_nib) filter (where candidate_rank = 1) as best_nib,
        max(score) filter (where candidate_rank = 2) as runner_up_score
    from scores
    group by participant_id
),

-- Every candidate within the margin of the best: what a reviewer chooses between.
close_candidates as (
    select scores.participant_id, list(scores.candidate_nib order by scores.candidate_rank) as candidate_nibs
    from scores
    inner join best using (participant_id)
    where scores.score > best.best_score - {{ margin }}
    group by scores.participant_id
),

decided as (
    select
        participants.*,
        best.best_score,
        best.runner_up_score,
        case
            when participants.nib_registered then 'nib'
            when best.best_score >= {{ min_score }}
                and coalesce(best.best_score - best.runner_up_score >= {{ margin }}, true) then 'name'
            when best.best_score >= {{ min_score }} then 'ambiguous'
            else 'none'
        end as match_method,
        best.best_nib,
        close_candidates.candidate_nibs
    from participants
    left join best using (participant_id)
    left join close_candidates using (participant_id)
)

select
    decided.participant_id,
    decided.event_id,
    decided.msme_key,
    decided.business_name,
    decided.business_name_key,
    decided.group_name,
    decided.group_keys,
    decided.product,
    decided.kecamatan_typed,
    decided.kecamatan_key,
    decided.kecamatan_code,
    decided.kecamatan_basis,
    decided.nib as nib_typed,
    decided.match_method,
    case decided.match_method when 'nib' then decided.nib when 'name' then decided.best_nib end as matched_nib,
    case when decided.match_method = 'nib' then 100.0 else decided.best_score end as match_score,
    decided.runner_up_score,
    case when decided.match_method = 'ambiguous' then decided.candidate_nibs end as review_candidate_nibs,
    decided.match_method in ('nib', 'name') as has_permit,
    decided.listings,
    decided.source_path,
    decided.source_sheet,
    decided.source_row,
    businesses.business_name as registered_name,
    businesses.regency_code as registered_regency_code,
    businesses.kecamatan_code as registered_kecamatan_code,
    businesses.kecamatan_official_name as registered_kecamatan_name,
    businesses.scale,
    businesses.primary_kbli,
    businesses.kbli_category,
    businesses.sector_group
from decided
left join businesses
    on businesses.nib = case decided.match_method when 'nib' then decided.nib when 'name' then decided.best_nib end
