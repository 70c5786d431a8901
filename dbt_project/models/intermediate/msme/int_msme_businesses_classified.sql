-- One row per business (all regions): a distinct NIB named by any OSS export (NIB list, project list, permit
-- list; int_msme_business_records_unioned), with each attribute from the richest record that has it. Located to
-- Kemendagri codes, its primary KBLI and sector, and its size class by OSS label, by capital and by sales, with
-- the disagreements flagged.
with records as (select * from {{ ref('int_msme_business_records_unioned') }}),
projects as (select * from {{ ref('stg_oss__projects') }}),
permits as (select * from {{ ref('stg_oss__permits') }}),
lookup as (select * from {{ ref('int_region_names_keyed') }}),
bounds as (select * from {{ ref('int_msme_scale_thresholds_ranged') }}),

file_regency as (
    select records.source_path, min(lookup.region_code) as regency_code
    from records
    inner join lookup
        on lookup.match_level = 'kab_kota' and lookup.name_key = {{ regency_key('records.regency_name') }}
    group by records.source_path
    having count(distinct lookup.region_code) = 1
),

region_kecamatan as (
    select name_key, min(regency_code) as regency_code
    from lookup
    where match_level = 'kecamatan' and {{ in_region('regency_code') }}
    group by name_key
    having count(*) = 1
),
kbli as (select * from {{ ref('stg_reference__kbli') }}),
sector_groups as (select * from {{ ref('kbli_sector_groups') }}),

-- Each attribute from the best-ranked record that has it (NIB list, project list, permit list; newest export
-- first). The place is taken whole from one record (kab/kota with its own kecamatan and kelurahan).
businesses as (
    select
        nib,
        concat_ws(',',
            case when bool_or(family = 'nib_list') then 'nib_list' end,
            case when bool_or(family = 'project_list') then 'project_list' end,
            case when bool_or(family = 'permit_list') then 'permit_list' end) as named_by,
        arg_min(registered_on, source_rank) filter (where registered_on is not null) as registered_on,
        arg_min(family, source_rank) filter (where registered_on is not null) as registered_on_family,
        count(distinct registered_on) > 1 or bool_or(conflicts_within_family)
            as has_conflicting_registration_dates,
        arg_min(business_name, source_rank) filter (where business_name is not null) as business_name,
        arg_min(company_type, source_rank) filter (where company_type is not null) as company_type,
        arg_min(investment_status, source_rank) filter (where investment_status is not null) as investment_status,
        arg_min(oss_scale, source_rank) filter (where oss_scale is not null) as oss_scale,
        arg_min(
            {'regency': regency_name, 'kecamatan': kecamatan_name, 'kelurahan': kelurahan_name, 'path': source_path},
            [case when regency_name is null then 1 else 0 end, source_rank]
        ) filter (where regency_name is not null or kecamatan_name is not null) as place,
        arg_min(source_path, source_rank) as source_path,
        arg_min(source_row, source_rank) as source_row,
        count(*) filter (where family = 'permit_list') as permits
    from records
    group by nib
),

-- The NIB list's own facts that the other families do not carry (personal data validity, repeated exports).
nib_list as (
    select nib, email_valid, nomor_telp_valid, export_rows from {{ ref('stg_oss__businesses') }}
),

project_totals as (
    select nib, count(*) as projects, sum(investment_amount) as capital_amount, sum(annual_sales) as annual_sales
    from projects
    where nib is not null
    group by nib
),

-- The business's first project (earliest submission, then smallest id) carries its primary KBLI; a business
-- without a project KBLI takes the KBLI of its earliest permit that has one.
primary_project as (
    select nib, kbli as primary_kbli
    from projects
    where nib is not null
    qualify row_number() over (partition by nib order by submitted_on nulls last, project_id) = 1
),

primary_permit as (
    select nib, kbli as primary_kbli
    from permits
    where nib is not null and kbli is not null
    qualify row_number() over (partition by nib order by issued_on nulls last, permit_application_id) = 1
),

located as (
    select
        businesses.* exclude (place),
        businesses.place.regency as regency_name,
        businesses.place.kecamatan as kecamatan_name,
        businesses.place.kelurahan as kelurahan_name,
        nib_list.email_valid,
        nib_list.nomor_telp_valid,
        coalesce(nib_list.export_rows, 0) as export_rows,
        coalesce(regency.region_code, file_regency.regency_code, region_kecamatan.regency_code) as regency_code,
        case
            when regency.region_code is not null then 'kab_kota'
            when file_regency.regency_code is not null then 'file'
            when region_kecamatan.regency_code is not null then 'kecamatan'
        end as regency_basis,
        businesses.place.path as place_path
    from businesses
    left join nib_list using (nib)
    left join lookup as regency
        on regency.match_level = 'kab_kota' and regency.name_key = {{ regency_key('businesses.place.regency') }}
    left join file_regency on file_regency.source_path = businesses.place.path
    left join region_kecamatan on region_kecamatan.name_key = {{ place_key('businesses.place.kecamatan') }}
),

-- A blank or unrecognised Kab Kota must not make a business vanish: it takes the one kab/kota its export file
-- names for its other rows, else the kab/kota of its kecamatan when that kecamatan name is unique in the
-- configured region (regency_basis says which; int_msme_gaps_flagged lists each as kab_kota_tidak_dikenali).
located_named as (
    select located.*, regions.region_name as regency_official_name
    from located
    left join {{ ref('stg_reference__regions') }} as regions on regions.region_code = located.regency_code
),

classified as (
    select
        located.*,
        kecamatan.region_code as kecamatan_code,
        kecamatan.region_name as kecamatan_official_name,
        coalesce(project_totals.projects, 0) as projects,
        project_totals.capital_amount,
        project_totals.annual_sales,
        coalesce(primary_project.primary_kbli, primary_permit.primary_kbli) as primary_kbli,
        {{ first_known_basis([('primary_project.primary_kbli', 'project_list'),
                              ('primary_permit.primary_kbli', 'permit_list')]) }} as primary_kbli_basis,
        left(coalesce(primary_project.primary_kbli, primary_permit.primary_kbli), 2) as kbli_division
    from located_named as located
    left join lookup as kecamatan
        on kecamatan.match_level = 'kecamatan'
        and kecamatan.regency_code = located.regency_code
        and kecamatan.name_key = {{ place_key('located.kecamatan_name') }}
    left join project_totals using (nib)
    left join primary_project using (nib)
    left join primary_permit using (nib)
),

scaled as (
    select
        classified.*,
        capital_bound.scale as capital_scale,
        sales_bound.scale as sales_scale
    from classified
    left join bounds as capital_bound
        on classified.capital_amount > capital_bound.capital_lower
        and classified.capital_amount <= capital_bound.capital_upper
    left join bounds as sales_bound
        on classified.annual_sales > sales_bound.sales_lower
        and classified.annual_sales <= sales_bound.sales_upper
)

select
    scaled.nib,
    scaled.named_by,
    scaled.business_name,
    scaled.company_type,
    scaled.investment_status,
    scaled.registered_on,
    scaled.registered_on_family,
    {{ period_columns('scaled.registered_on', 'registration') }},
    scaled.regency_code,
    scaled.regency_basis,
    scaled.regency_official_name,
    scaled.regency_name as regency_name_exported,
    scaled.kecamatan_code,
    scaled.kecamatan_official_name,
    scaled.kecamatan_name as kecamatan_name_exported,
    scaled.kelurahan_name as kelurahan_name_exported,
    scaled.projects,
    scaled.permits,
    scaled.primary_kbli,
    scaled.primary_kbli_basis,
    kbli_code.kbli_code is not null as primary_kbli_known,
    scaled.kbli_division,
    division.kbli_title as kbli_division_label,
    division.kbli_category,
    category.kbli_title as kbli_category_label,
    coalesce(sector_groups.sector_group, division.kbli_category) as sector_group,
    coalesce(sector_groups.sector_label, category.kbli_title) as sector_group_label,
    -- Deprecated alias of sector_group_label (the name before issue 12), kept for existing queries.
    coalesce(sector_groups.sector_label, category.kbli_title) as sector_label,
    '{{ var("kbli_version") }}' as kbli_version,
    scaled.capital_amount,
    scaled.annual_sales,
    scaled.oss_scale,
    scaled.capital_scale,
    scaled.sales_scale,
    coalesce(scaled.oss_scale, scaled.capital_scale, 'tidak_diketahui') as scale,
    {{ msme_code_label('scale', "coalesce(scaled.oss_scale, scaled.capital_scale, 'tidak_diketahui')") }}
        as scale_label,
    case
        when scaled.oss_scale is not null then 'oss'
        when scaled.capital_scale is not null then 'modal'
        else 'tidak_diketahui'
    end as scale_basis,
    coalesce(scaled.oss_scale <> scaled.capital_scale, false) as scale_disagrees_with_capital,
    coalesce(coalesce(scaled.oss_scale, scaled.capital_scale) <> scaled.sales_scale, false)
        as scale_disagrees_with_sales,
    scaled.email_valid,
    scaled.nomor_telp_valid,
    scaled.export_rows,
    scaled.has_conflicting_registration_dates,
    scaled.source_path,
    scaled.source_row
from scaled
left join kbli as kbli_code on kbli_code.kbli_code = scaled.primary_kbli and kbli_code.kbli_level = 'kelompok'
left join kbli as division on division.kbli_code = scaled.kbli_division and division.kbli_level = 'golongan_pokok'
left join kbli as category on category.kbli_code = division.kbli_category and category.kbli_level = 'kategori'
left join sector_groups on sector_groups.kbli_division = scaled.kbli_division
