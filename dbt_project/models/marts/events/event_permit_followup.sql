-- Participants the curation team follows up: no registered business found (method none) or two candidates
-- too close to choose (method ambiguous: review). One row per MSME per event, with where to find the row in
-- the raw file (owner and phone are there, never here).
with events as (select * from {{ ref('stg_events__events') }}),
matched as (select * from {{ ref('int_event_participants_matched') }} where not has_permit),
regions as (select * from {{ ref('stg_reference__regions') }} where region_level = 'kecamatan'),

reasons as (
    select
        *,
        case
            when match_method = 'ambiguous' then 'perlu_tinjauan'
            when nib_typed is not null then 'nib_tidak_ditemukan'
            when kecamatan_code is null then 'kecamatan_tidak_dikenali'
            else 'belum_ada_nib'
        end as reason
    from matched
)

select
    reasons.participant_id,
    reasons.event_id,
    events.event_name,
    events.start_date,
    reasons.group_name,
    reasons.business_name,
    reasons.product,
    reasons.kecamatan_typed,
    reasons.kecamatan_code,
    regions.region_name as kecamatan_name,
    reasons.nib_typed,
    reasons.match_method,
    reasons.match_score as best_candidate_score,
    reasons.review_candidate_nibs,
    reasons.match_basis,
    reasons.review_candidates,
    reasons.reason,
    case reasons.reason
        -- The review message says why this row is to be reviewed (match_basis), true to how many candidates.
        when 'perlu_tinjauan' then 'Perlu tinjauan: ' || case reasons.match_basis
            when 'review_same_name' then
                'nama usaha sama dengan ' || len(reasons.review_candidate_nibs)
                || ' usaha terdaftar di kecamatan yang sama'
            when 'review_close_candidates' then
                'nama usaha mirip dengan ' || len(reasons.review_candidate_nibs)
                || ' usaha terdaftar di kecamatan yang sama'
            when 'review_nib_name_differs' then
                'NIB yang ditulis terdaftar, tetapi atas nama usaha yang berbeda'
            when 'review_distinctive_word' then
                'nama usaha mirip dengan usaha terdaftar, tetapi berbeda pada kata khas (misalnya nama pemilik)'
            when 'review_place_unknown' then
                'kecamatan tidak dikenali; nama usaha cocok dengan usaha terdaftar di wilayah ini'
            else 'kandidat usaha terdaftar perlu diperiksa'
        end
            || ' (' || case when len(reasons.review_candidate_nibs) = 1 then 'NIB ' else 'NIB kandidat ' end
            || array_to_string(reasons.review_candidate_nibs, ', ') || '); tim kurasi '
            || case when len(reasons.review_candidate_nibs) = 1 then 'memastikan NIB tersebut benar'
                else 'memilih NIB yang benar' end
        when 'nib_tidak_ditemukan' then
            'NIB yang ditulis tidak ditemukan di data perizinan OSS: periksa NIB bersama pelaku usaha'
        when 'kecamatan_tidak_dikenali' then
            'Belum memiliki NIB / izin usaha (kecamatan kosong atau tidak dikenali, nama tidak dapat dicocokkan): '
            || 'tindak lanjut tim kurasi'
        else 'Belum memiliki NIB / izin usaha: tindak lanjut tim kurasi'
    end as message,
    reasons.listings,
    reasons.source_path,
    reasons.source_sheet,
    reasons.source_row
from reasons
inner join events using (event_id)
left join regions on regions.region_code = reasons.kecamatan_code
