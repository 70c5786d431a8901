-- One row per MSME per event, linked to a registered business: by its NIB when the typed NIB is registered,
-- else by name within its kecamatan (rapidfuzz scores from int_event_names_scored, thresholds in vars
-- event_match_min_score / event_match_min_margin). Two candidates within the margin: 'ambiguous', flagged
-- for review with the candidate NIBs, never guessed.
{% set min_score = var('event_match_min_score') %}
{% set margin = var('event_match_min_margin') %}

with participants as (select * from {{ ref('int_event_participants_deduplicated') }}),
scores as (select * from {{ ref('int_event_names_scored') }}),
businesses as (select * from {{ ref('int_msme_businesses_classified') }}),

-- A candidate's name "agrees" when it scores at least the match score and differs in no distinctive token.
judged as (
    select
        *,
        score >= {{ min_score }} and not distinctive_difference as agrees,
        -- The typed NIB itself is registered: strong evidence of its own, so its name only has to be recognisably
        -- the same business (at least the review floor, min score - 2 x margin: "Sinar Kenari" for "CV Sinar
        -- Kenari Abadi", "Warung Pak Satye" for "Warung Pak Satya"); another business's NIB ("Rental Borneo"
        -- typed with the NIB of "Toko Kelontong Bu Salwa") scores far below and goes to review.
        score >= {{ min_score - 2 * margin }} as nib_name_agrees
    from scores
),

evidence as (
    select
        participant_id,
        -- 1. the typed NIB is registered and its name agrees
        any_value(candidate_nib) filter (where candidate_source = 'nib' and nib_name_agrees) as nib_agreeing,
        bool_or(candidate_source = 'nib') as nib_found,
        -- 2. exactly one registered NIB one digit / one swap away whose name agrees
        case when count(*) filter (where candidate_source = 'nib_neighbour' and agrees) = 1
            then any_value(candidate_nib) filter (where candidate_source = 'nib_neighbour' and agrees)
        end as nib_corrected,
        -- 3. the normalised name exactly, once in the kecamatan
        count(*) filter (where candidate_source = 'kecamatan' and is_exact) as exact_count,
        any_value(candidate_nib) filter (where candidate_source = 'kecamatan' and is_exact) as exact_nib,
        -- 4. several exact: the legal form typed (CV / PT / UD) picks one
        case when count(*) filter (where candidate_source = 'kecamatan' and is_exact and legal_form_agrees) = 1
            then any_value(candidate_nib) filter (where candidate_source = 'kecamatan' and is_exact and legal_form_agrees)
        end as legal_form_nib,
        -- 5. the best name of the kecamatan, clearly ahead of the runner-up
        max(score) filter (where candidate_source = 'kecamatan') as best_score,
        arg_max(candidate_nib, score) filter (where candidate_source = 'kecamatan') as best_nib,
        arg_max(agrees, score) filter (where candidate_source = 'kecamatan') as best_agrees,
        count(*) filter (where candidate_source = 'region' and score >= {{ min_score }}) as region_hits
    from judged
    group by participant_id
),

runner_up as (
    select judged.participant_id, max(judged.score) as runner_up_score
    from judged
    inner join evidence using (participant_id)
    where judged.candidate_source = 'kecamatan' and judged.candidate_nib <> evidence.best_nib
    group by judged.participant_id
),

decided as (
    select
        participants.*,
        evidence.best_score,
        runner_up.runner_up_score,
        case
            when evidence.nib_agreeing is not null then 'nib'
            when evidence.nib_corrected is not null then 'nib_corrected'
            when evidence.exact_count = 1 then 'name_exact'
            when evidence.legal_form_nib is not null then 'name_legal_form'
            when evidence.exact_count > 1 then 'review_same_name'
            when evidence.nib_found then 'review_nib_name_differs'
            when evidence.best_score >= {{ min_score }} and evidence.best_agrees
                and coalesce(evidence.best_score - runner_up.runner_up_score >= {{ margin }}, true) then 'name_similar'
            when evidence.best_score >= {{ min_score }} and not evidence.best_agrees
                and coalesce(evidence.best_score - runner_up.runner_up_score >= {{ margin }}, true)
                then 'review_distinctive_word'
            when evidence.best_score >= {{ min_score }} then 'review_close_candidates'
            -- a place was typed but not located (a blank kecamatan is no evidence of place: none, as before)
            when participants.kecamatan_code is null and participants.kecamatan_typed is not null
                and evidence.region_hits = 1 then 'review_place_unknown'
        end as match_basis,
        coalesce(evidence.nib_agreeing, evidence.nib_corrected,
            case when evidence.exact_count = 1 then evidence.exact_nib end,
            evidence.legal_form_nib, evidence.best_nib) as chosen_nib
    from participants
    left join evidence using (participant_id)
    left join runner_up using (participant_id)
),

-- What a reviewer chooses between: the candidates that scored at least the review floor (the NIB's own
-- business, the exact names, every name within the margin of the best, the region-wide hit).
review_candidates as (
    select
        judged.participant_id,
        list(judged.candidate_nib order by judged.candidate_rank) as candidate_nibs,
        list({'nib': judged.candidate_nib, 'name': candidate.business_name,
              'kelurahan': candidate.kelurahan_name_exported, 'kbli': candidate.primary_kbli, 'score': judged.score}
            order by judged.candidate_rank) as candidates
    from judged
    inner join decided using (participant_id)
    left join businesses as candidate on candidate.nib = judged.candidate_nib
    where decided.match_basis like 'review%'
        and (judged.candidate_source in ('nib', 'nib_neighbour')
            or judged.score > coalesce(decided.best_score, 100) - {{ margin }}
            or judged.is_exact
            or (decided.match_basis = 'review_place_unknown' and judged.score >= {{ min_score }}))
    group by judged.participant_id
),

resolved as (
    select
        decided.*,
        case
            when decided.match_basis in ('nib', 'nib_corrected') then 'nib'
            when decided.match_basis like 'name%' then 'name'
            when decided.match_basis like 'review%' then 'ambiguous'
            else 'none'
        end as match_method,
        case when decided.match_basis not like 'review%' then decided.chosen_nib end as best_nib,
        review_candidates.candidate_nibs,
        review_candidates.candidates
    from decided
    left join review_candidates using (participant_id)
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
    decided.match_basis,
    decided.best_nib as matched_nib,
    case when decided.match_basis = 'nib' then 100.0 else decided.best_score end as match_score,
    decided.runner_up_score,
    case when decided.match_method = 'ambiguous' then decided.candidate_nibs end as review_candidate_nibs,
    case when decided.match_method = 'ambiguous' then decided.candidates end as review_candidates,
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
from resolved as decided
left join businesses
    on businesses.nib = decided.best_nib
