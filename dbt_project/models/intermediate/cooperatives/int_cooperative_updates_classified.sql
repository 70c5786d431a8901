-- One row per cooperative per data update (every region): placed to Kemendagri codes, jenis/bentuk/status looked
-- up in the rule seeds, and the active rule applied (docs/cooperatives.md).
{%- set n_years = coop_inactive_after_years() %}
{%- set precedence = coop_status_precedence() %}
with updates as (select * from {{ ref('stg_registry__cooperative_updates') }}),
lookup as (select * from {{ ref('int_regions__name_lookup') }}),
regions as (select * from {{ ref('stg_reference__regions') }}),
jenis as (select * from {{ ref('cooperative_jenis') }}),
bentuk as (select * from {{ ref('cooperative_bentuk') }}),
status as (select * from {{ ref('cooperative_status') }}),
digital as (select * from {{ ref('cooperative_digital_reporting') }}),

located as (
    select
        updates.*,
        case
            when regency.region_code is not null then regency.region_code
            when updates.regency_name_exported is null then {{ coop_assumed_regency_code() }}
        end as regency_code,
        case
            when regency.region_code is not null then 'kab_kota'
            when updates.regency_name_exported is null and {{ coop_assumed_regency_code() }} is not null
                then 'region_assumed'
        end as regency_basis
    from updates
    left join lookup as regency
        on regency.match_level = 'kab_kota'
        and regency.name_key = {{ regency_key('updates.regency_name_exported') }}
),

looked_up as (
    select
        located.*,
        regency.region_name as regency_official_name,
        kecamatan.region_code as kecamatan_code,
        kecamatan.region_name as kecamatan_official_name,
        jenis.jenis,
        bentuk.bentuk,
        status.status,
        status.is_active as status_is_active,
        coalesce(digital.reports_digitally, false) as reports_digitally,
        coalesce(located.rat_book_year_recorded, year(located.rat_date) - 1) as rat_book_year,
        case
            when located.rat_book_year_recorded is not null then 'tahun_buku_rat_terakhir'
            when located.rat_date is not null then 'tanggal_rat'
        end as rat_book_year_basis,
        year(located.update_date) - 1 as last_closed_book_year
    from located
    left join regions as regency on regency.region_code = located.regency_code
    left join lookup as kecamatan
        on kecamatan.match_level = 'kecamatan'
        and kecamatan.regency_code = located.regency_code
        and kecamatan.name_key = {{ place_key('located.kecamatan_name_exported') }}
    left join jenis on jenis.value_key = {{ coop_value_key('located.jenis_exported') }}
    left join bentuk on bentuk.value_key = {{ coop_value_key('located.bentuk_exported') }}
    left join status on status.value_key = {{ coop_value_key('located.status_exported') }}
    left join digital on digital.value_key = {{ coop_value_key('located.digital_reporting_exported') }}
),

ruled as (
    select
        *,
        case
        {%- if precedence == 'register' %}
            when status_is_active is not null then 'register'
            when rat_book_year is not null then {{ coop_rat_rule_name() }}
        {%- else %}
            when rat_book_year is not null then {{ coop_rat_rule_name() }}
            when status_is_active is not null then 'register'
        {%- endif %}
            else 'no_rat_recorded'
        end as active_rule
    from looked_up
)

select
    cooperative_number,
    update_date,
    update_date_basis,
    cooperative_name,
    legal_entity_number,
    legal_entity_date,
    regency_code,
    regency_official_name,
    regency_basis,
    regency_name_exported,
    kecamatan_code,
    kecamatan_official_name,
    kecamatan_name_exported,
    kelurahan_name_exported,
    coalesce(jenis, 'tidak_diketahui') as jenis,
    jenis_exported,
    coalesce(bentuk, 'tidak_diketahui') as bentuk,
    bentuk_exported,
    kelompok,
    sektor_usaha,
    status as status_recorded,
    status_exported,
    case active_rule
        when 'register' then status_is_active
        when 'no_rat_recorded' then false
        else rat_book_year >= last_closed_book_year - {{ n_years }} + 1
    end as is_active,
    active_rule,
    rat_book_year,
    rat_book_year_basis,
    rat_date,
    last_closed_book_year,
    coalesce(rat_book_year >= last_closed_book_year, false) as rat_held_last_book_year,
    members_male,
    members_female,
    managers,
    employees,
    modal_sendiri,
    modal_luar,
    volume_usaha,
    aset,
    shu,
    reports_digitally,
    digital_reporting_since,
    rows_in_update,
    unparsed_columns,
    source_path,
    source_sheet,
    source_row,
    source_file_hash
from ruled
