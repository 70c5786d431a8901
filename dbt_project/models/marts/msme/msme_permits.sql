-- One row per permit application in the configured region (by its business's location, else the permit's
-- own kab/kota), with the permit's KBLI sector and risk and its business's scale and kecamatan, each code with
-- its Indonesian label (macro msme_code_label). A permit with a
-- blank or malformed NIB (nib NULL) is counted by its own kab/kota (gap nib_missing / nib_malformed).
with permits as (select * from {{ ref('stg_oss__permits') }}),
businesses as (select * from {{ ref('int_msme_businesses_classified') }}),
lookup as (select * from {{ ref('int_region_names_keyed') }} where match_level = 'kab_kota'),
kbli as (select * from {{ ref('stg_reference__kbli') }}),
sector_groups as (select * from {{ ref('kbli_sector_groups') }}),

-- A permit whose own Kab Kota is blank or unrecognised (and whose NIB names no located business) takes the one
-- kab/kota its export file names for its other rows: it must not vanish (gap kab_kota_tidak_dikenali).
file_regency as (
    select permits.source_path, min(lookup.region_code) as regency_code
    from permits
    inner join lookup on lookup.name_key = {{ regency_key('permits.regency_name') }}
    group by permits.source_path
    having count(distinct lookup.region_code) = 1
),

located as (
    select
        permits.*,
        coalesce(businesses.regency_code, permit_regency.region_code, file_regency.regency_code) as regency_code,
        businesses.kecamatan_code,
        businesses.kecamatan_official_name,
        coalesce(businesses.scale, 'tidak_diketahui') as business_scale
    from permits
    left join businesses using (nib)
    left join lookup as permit_regency on permit_regency.name_key = {{ regency_key('permits.regency_name') }}
    left join file_regency on file_regency.source_path = permits.source_path
)

select
    located.permit_application_id,
    located.nib,
    located.project_id,
    located.kbli,
    left(located.kbli, 2) as kbli_division,
    division.kbli_title as kbli_division_label,
    division.kbli_category,
    {{ msme_code_label('kbli_category', 'division.kbli_category') }} as kbli_category_label,
    coalesce(sector_groups.sector_group, division.kbli_category) as sector_group,
    {{ msme_code_label('sector_group', 'coalesce(sector_groups.sector_group, division.kbli_category)') }}
        as sector_group_label,
    located.risk_code,
    coalesce(located.risk_level, 'tidak_diketahui') as risk_level,
    {{ msme_code_label('risk_level', "coalesce(located.risk_level, 'tidak_diketahui')") }} as risk_level_label,
    located.issued_on,
    {{ period_columns('located.issued_on', 'issue') }},
    located.permit_type,
    located.document_name,
    located.authority,
    located.response_status,
    located.regency_code,
    located.kecamatan_code,
    located.kecamatan_official_name,
    located.business_scale,
    {{ msme_code_label('scale', 'located.business_scale') }} as business_scale_label,
    located.source_path,
    located.source_row
from located
left join kbli as division
    on division.kbli_code = left(located.kbli, 2) and division.kbli_level = 'golongan_pokok'
left join sector_groups on sector_groups.kbli_division = left(located.kbli, 2)
where {{ in_region('located.regency_code') }}
