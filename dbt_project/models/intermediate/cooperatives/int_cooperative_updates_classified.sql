-- One row per cooperative per data update (every region): placed to Kemendagri codes, status/jenis/bentuk/Pelaporan
-- Digital read through int_cooperative_values_matched (the rule seeds, exact or fuzzy), and the active rule applied
-- (docs/cooperatives.md). Nothing unknown is guessed: an unrecognised code is tidak_diketahui, an unrecognised
-- status leaves is_active NULL (never decided by the RAT rule instead, under the default precedence).
{%- set n_years = coop_inactive_after_years() %}
{%- set precedence = coop_status_precedence() %}
with updates as (select * from {{ ref('stg_registry__cooperative_updates') }}),
lookup as (select * from {{ ref('int_region_names_keyed') }}),
regions as (select * from {{ ref('stg_reference__regions') }}),
matched as (select * from {{ ref('int_cooperative_values_matched') }}),
status_activity as (select distinct status, is_active from {{ ref('cooperative_status') }}),

resolved as (
    select
        updates.*,
        regency.region_code as regency_code_resolved,
        case
            when regency.region_code is not null then regency.match_basis
            when regexp_matches(updates.regency_name_exported, '[A-Za-z0-9]') then 'none'
            else 'blank'
        end as regency_match
    from updates
    left join lookup as regency
        on regency.match_level = 'kab_kota'
        and regency.name_key = {{ regency_key('updates.regency_name_exported') }}
),

-- The kab/kota of a file's (sheet's) rows whose Kab/Kota was recognised, when they all name one.
file_regency as (
    select
        source_path,
        source_sheet,
        count(distinct regency_code_resolved) as regencies,
        any_value(regency_code_resolved) as regency_code
    from resolved
    where regency_code_resolved is not null
    group by all
),

-- Kab/kota recognised -> that one. Blank or not recognised -> the kab/kota of the file's other rows when they all
-- name one (file_regency); a file naming none -> the configured region when it is a kab/kota (region_assumed:
-- an office's own register lists its own cooperatives); otherwise it cannot be placed (NULL, gap).
located as (
    select
        resolved.*,
        case
            when resolved.regency_code_resolved is not null then resolved.regency_code_resolved
            when file_regency.regencies = 1 then file_regency.regency_code
            when file_regency.regencies is null then {{ coop_assumed_regency_code() }}
        end as regency_code,
        case
            when resolved.regency_code_resolved is not null then 'kab_kota'
            when file_regency.regencies = 1 then 'file_regency'
            when file_regency.regencies is null and {{ coop_assumed_regency_code() }} is not null
                then 'region_assumed'
        end as regency_basis
    from resolved
    left join file_regency
        on file_regency.source_path = resolved.source_path
        and file_regency.source_sheet is not distinct from resolved.source_sheet
),

-- Kecamatan names of a province that lie in exactly one kab/kota: where a kecamatan not found in the row's
-- kab/kota really is (a kab/kota that contradicts the kecamatan).
kecamatan_elsewhere as (
    select
        name_key,
        left(regency_code, 2) as province_code,
        any_value(regency_code) as regency_code,
        any_value(region_code) as region_code
    from lookup
    where match_level = 'kecamatan'
    group by all
    having count(distinct regency_code) = 1
),

looked_up as (
    select
        located.*,
        regency.region_name as regency_official_name,
        kecamatan.region_code as kecamatan_code,
        kecamatan.region_name as kecamatan_official_name,
        case when kecamatan.region_code is null then elsewhere.regency_code end as kecamatan_regency_code,
        status.code as status,
        coalesce(status.match, 'blank') as status_match,
        status_activity.is_active as status_is_active,
        jenis.code as jenis,
        coalesce(jenis.match, 'blank') as jenis_match,
        bentuk.code as bentuk,
        coalesce(bentuk.match, 'blank') as bentuk_match,
        coalesce(digital.match, 'blank') as digital_reporting_match,
        case
            when digital.match is null then false  -- blank: not reporting
            else cast(digital.code as boolean)      -- NULL when not recognised
        end as reports_digitally,
        coalesce(located.rat_book_year_recorded, year(located.rat_date) - 1) as rat_book_year,
        case
            when located.rat_book_year_recorded is not null then 'tahun_buku_rat_terakhir'
            when located.rat_date is not null then 'tanggal_rat'
        end as rat_book_year_basis,
        year(located.update_date) - 1 as last_closed_book_year,
        -- A book year is closed, and its RAT held, the year after: at an update in 2024 the latest possible RAT
        -- book year is 2023. RAT for book year Y is held in Y + 1.
        coalesce(located.rat_book_year_recorded >= year(located.update_date), false) as rat_book_year_not_closed,
        coalesce(located.rat_book_year_recorded <> year(located.rat_date) - 1, false)
            as rat_book_year_disagrees_with_rat_date
    from located
    left join regions as regency on regency.region_code = located.regency_code
    left join lookup as kecamatan
        on kecamatan.match_level = 'kecamatan'
        and kecamatan.regency_code = located.regency_code
        and kecamatan.name_key = {{ place_key('located.kecamatan_name_exported') }}
    left join kecamatan_elsewhere as elsewhere
        on elsewhere.name_key = {{ place_key('located.kecamatan_name_exported') }}
        and elsewhere.province_code = left(located.regency_code, 2)
        and elsewhere.regency_code <> located.regency_code
    left join matched as status
        on status.vocabulary = 'status' and status.value_exported = located.status_exported
    left join status_activity on status_activity.status = status.code
    left join matched as jenis
        on jenis.vocabulary = 'jenis' and jenis.value_exported = located.jenis_exported
    left join matched as bentuk
        on bentuk.vocabulary = 'bentuk' and bentuk.value_exported = located.bentuk_exported
    left join matched as digital
        on digital.vocabulary = 'pelaporan_digital' and digital.value_exported = located.digital_reporting_exported
),

ruled as (
    select
        *,
        case
        {%- if precedence == 'register' %}
            when status_is_active is not null then 'register'
            when status_match = 'none' then 'status_tidak_dikenali'
            when rat_book_year is not null then {{ coop_rat_rule_name() }}
        {%- else %}
            when rat_book_year is not null then {{ coop_rat_rule_name() }}
            when status_is_active is not null then 'register'
            when status_match = 'none' then 'status_tidak_dikenali'
        {%- endif %}
            else 'no_rat_recorded'
        end as active_rule
    from looked_up
),

decided as (
    select
        *,
        case active_rule
            when 'register' then status_is_active
            when 'no_rat_recorded' then false
            when 'status_tidak_dikenali' then null
            else rat_book_year >= last_closed_book_year - {{ n_years }} + 1
        end as is_active
    from ruled
)

select
    cooperative_number,
    update_date,
    update_date_basis,
    row_updated_date,
    cooperative_name,
    cooperative_name_key,
    names_in_update,
    names_in_update_listed,
    legal_entity_number,
    legal_entity_date,
    regency_code,
    regency_official_name,
    regency_basis,
    regency_match,
    regency_name_exported,
    kecamatan_code,
    kecamatan_official_name,
    kecamatan_name_exported,
    kecamatan_regency_code,
    kelurahan_name_exported,
    coalesce(jenis, 'tidak_diketahui') as jenis,
    jenis_exported,
    jenis_match,
    coalesce(bentuk, 'tidak_diketahui') as bentuk,
    bentuk_exported,
    bentuk_match,
    kelompok,
    sektor_usaha,
    status as status_recorded,
    status_exported,
    status_match,
    is_active,
    case when is_active then 'aktif' when not is_active then 'tidak_aktif' else 'tidak_diketahui' end as activity,
    active_rule,
    rat_book_year,
    rat_book_year_basis,
    rat_book_year_recorded,
    rat_date,
    rat_date_day_unknown,
    last_closed_book_year,
    coalesce(rat_book_year >= last_closed_book_year, false) as rat_held_last_book_year,
    rat_book_year_not_closed,
    rat_book_year_disagrees_with_rat_date,
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
    digital_reporting_exported,
    digital_reporting_match,
    digital_reporting_since,
    rows_in_update,
    unparsed_columns,
    source_path,
    source_sheet,
    source_row,
    source_file_id,
    source_file_hash
from decided
