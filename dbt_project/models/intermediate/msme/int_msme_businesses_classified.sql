-- One row per registered business (all regions): located to Kemendagri codes, its primary KBLI and sector,
-- and its size class by OSS label, by capital and by sales, with the disagreements flagged.
with businesses as (select * from {{ ref('stg_oss__businesses') }}),
projects as (select * from {{ ref('stg_oss__projects') }}),
lookup as (select * from {{ ref('int_regions__name_lookup') }}),
bounds as (select * from {{ ref('int_msme_scale_bounds') }}),
kbli as (select * from {{ ref('stg_reference__kbli') }}),
sector_groups as (select * from {{ ref('kbli_sector_groups') }}),

project_totals as (
    select nib, count(*) as projects, sum(investment_amount) as capital_amount, sum(annual_sales) as annual_sales
    from projects
    group by nib
),

-- The business's first project (earliest submission, then smallest id) carries its primary KBLI.
primary_project as (
    select nib, kbli as primary_kbli
    from projects
    qualify row_number() over (partition by nib order by submitted_on nulls last, project_id) = 1
),

located as (
    select
        businesses.*,
        regency.region_code as regency_code,
        regency.region_name as regency_official_name
    from businesses
    left join lookup as regency
        on regency.match_level = 'kab_kota' and regency.name_key = {{ regency_key('businesses.regency_name') }}
),

classified as (
    select
        located.*,
        kecamatan.region_code as kecamatan_code,
        kecamatan.region_name as kecamatan_official_name,
        coalesce(project_totals.projects, 0) as projects,
        project_totals.capital_amount,
        project_totals.annual_sales,
        primary_project.primary_kbli,
        left(primary_project.primary_kbli, 2) as kbli_division
    from located
    left join lookup as kecamatan
        on kecamatan.match_level = 'kecamatan'
        and kecamatan.regency_code = located.regency_code
        and kecamatan.name_key = {{ place_key('located.kecamatan_name') }}
    left join project_totals using (nib)
    left join primary_project using (nib)
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
    scaled.business_name,
    scaled.company_type,
    scaled.investment_status,
    scaled.registered_on,
    year(scaled.registered_on) as registration_year,
    strftime(scaled.registered_on, '%Y-%m') as registration_month,
    scaled.regency_code,
    scaled.regency_official_name,
    scaled.regency_name as regency_name_exported,
    scaled.kecamatan_code,
    scaled.kecamatan_official_name,
    scaled.kecamatan_name as kecamatan_name_exported,
    scaled.kelurahan_name as kelurahan_name_exported,
    scaled.projects,
    scaled.primary_kbli,
    kbli_code.kbli_code is not null as primary_kbli_known,
    scaled.kbli_division,
    division.kbli_category,
    coalesce(sector_groups.sector_group, division.kbli_category) as sector_group,
    coalesce(sector_groups.sector_label, category.kbli_title) as sector_label,
    '{{ var("kbli_version") }}' as kbli_version,
    scaled.capital_amount,
    scaled.annual_sales,
    scaled.oss_scale,
    scaled.capital_scale,
    scaled.sales_scale,
    coalesce(scaled.oss_scale, scaled.capital_scale, 'tidak_diketahui') as scale,
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
