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
    reasons.reason,
    case reasons.reason
        when 'perlu_tinjauan' then
            'Perlu tinjauan: nama usaha cocok dengan lebih dari satu usaha terdaftar di kecamatan yang sama ('
            || array_to_string(reasons.review_candidate_nibs, ', ') || '); tim kurasi memilih NIB yang benar'
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
