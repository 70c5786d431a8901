-- One row per data gap of a cooperative of the configured region, as it stands in its kab/kota's latest data
-- update (marts.cooperatives), plus cooperatives that dropped out of the latest update (cooperative_history),
-- rows of the latest files that could not be placed or whose kab/kota contradicts a kecamatan of the region
-- (int_cooperative_updates_classified), and health assessments (cooperative_health_assessments).
-- Every coded value that is not recognised is a gap with its typed text (status, jenis, bentuk, Pelaporan Digital,
-- kab/kota, kecamatan, predikat); a typo read fuzzily is a gap too (nilai_dicocokkan_mirip). Values the loader
-- could not read at all are the ingest gap nilai_tidak_terbaca (int_ingest_gaps_flagged), not repeated here.
-- Rules: docs/quality.md; docs/cooperatives.md.
{%- set n_years = var('cooperative_inactive_after_years') %}
{%- set coded = [
    ('status', 'status_koperasi', 'status_exported', 'status_match', 'status_recorded'),
    ('jenis', 'jenis_koperasi', 'jenis_exported', 'jenis_match', 'jenis'),
    ('bentuk', 'bentuk_koperasi', 'bentuk_exported', 'bentuk_match', 'bentuk'),
    ('pelaporan_digital', 'pelaporan_digital', 'digital_reporting_exported', 'digital_reporting_match',
     "case when reports_digitally then 'ya' else 'tidak' end"),
] %}
with cooperatives as (
    select
        *,
        'Koperasi ' || cooperative_number || coalesce(' (' || cooperative_name || ')', '')
            || case when is_active then ', aktif' when not is_active then ', tidak aktif'
                else ', status tidak diketahui' end as record_label
    from {{ ref('cooperatives') }}
),

updates as (select * from {{ ref('int_cooperative_updates_classified') }}),
regions as (select * from {{ ref('stg_reference__regions') }}),
health as (select * from {{ ref('cooperative_health_assessments') }}),

history as (select * from {{ ref('cooperative_history') }}),

-- The raw row each cooperative's current state came from (phone and e-mail validity live only there).
contact as (
    select c.cooperative_number, r.no_hp_valid, r.email_valid
    from cooperatives as c
    inner join {{ source('registry', 'coop_registry') }} as r
        on r._path = c.source_path and r._row_number = c.source_row
        and r._sheet is not distinct from c.source_sheet
),

regency_latest as (
    select regency_code, max(update_date) as latest_update from history group by regency_code
),

-- Rows of the latest files outside the marts that still concern the region: a row that could not be placed
-- (kab/kota blank or unrecognised in a file naming several kab/kota) or whose kab/kota lies outside the region
-- while its kecamatan lies inside. "Latest" = on or after the oldest latest update of the region's kab/kota.
unplaced as (
    select
        u.*,
        'Koperasi ' || u.cooperative_number || coalesce(' (' || u.cooperative_name || ')', '') as record_label
    from updates as u
    where (u.regency_code is null or not {{ in_region('u.regency_code') }})
        and u.update_date >= (select min(latest_update) from regency_latest)
),

-- Two registered cooperatives whose numbers differ by one digit or one adjacent swap (Damerau-Levenshtein 1 on
-- 16 digits) and that share the name or the badan hukum number: probably one cooperative typed twice.
identity as (
    select
        cooperative_number,
        {{ coop_name_key('cooperative_name') }} as name_key,
        nullif(regexp_replace(upper(legal_entity_number), '[^A-Z0-9]', '', 'g'), '') as legal_key
    from cooperatives
),

suspected_pairs as (
    select a.cooperative_number as number_a, b.cooperative_number as number_b, 'nama' as shared
    from identity as a
    inner join identity as b on b.name_key = a.name_key and b.cooperative_number <> a.cooperative_number
    where damerau_levenshtein(a.cooperative_number, b.cooperative_number) = 1
    union
    select a.cooperative_number, b.cooperative_number, 'nomor badan hukum'
    from identity as a
    inner join identity as b on b.legal_key = a.legal_key and b.cooperative_number <> a.cooperative_number
    where length(a.legal_key) >= 5 and damerau_levenshtein(a.cooperative_number, b.cooperative_number) = 1
),

suspected as (
    select number_a, number_b, string_agg(shared, ' dan ' order by shared) as shared
    from suspected_pairs
    group by all
),

vanished as (
    select
        h.cooperative_number,
        arg_max(h.regency_code, h.update_date) as regency_code,
        max(h.update_date) as last_update,
        arg_max(h.cooperative_name, h.update_date) as cooperative_name,
        arg_max(h.source_path, h.update_date) as source_path,
        arg_max(h.source_row, h.update_date) as source_row
    from history as h
    group by h.cooperative_number
    having not bool_or(h.is_latest_update)
)

select 'cooperatives' as source, 'cooperative' as entity, cooperative_number as record_key, record_label,
    'kecamatan_unmatched' as gap_type, 'kecamatan' as column_name,
    coalesce(kecamatan_name_exported, '(kosong)') as value, null as detail, source_path, source_row
from cooperatives
where kecamatan_code is null

{%- for vocabulary, column, exported, match, code in coded %}
union all
select 'cooperatives', 'cooperative', cooperative_number, record_label, '{{ vocabulary }}_tidak_dikenali',
    '{{ column }}', coalesce({{ exported }}, '(kosong)'), null, source_path, source_row
from cooperatives
where {{ match }} = 'none'
    {%- if vocabulary in ('jenis', 'bentuk') %}
    -- A blank jenis or bentuk is counted as tidak_diketahui too: never silently.
    or ({{ exported }} is null and {{ code }} = 'tidak_diketahui')
    {%- endif %}
union all
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'nilai_dicocokkan_mirip', '{{ column }}',
    {{ exported }}, {{ code }}, source_path, source_row
from cooperatives
where {{ match }} = 'fuzzy'
{%- endfor %}

union all
-- Kab/kota typed but not recognised; counted in the kab/kota of the file (file_regency) or the configured one.
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'kab_kota_tidak_dikenali', 'kab_kota',
    regency_name_exported, 'dihitung di ' || regency_official_name
        || case regency_basis when 'file_regency' then ' (kab/kota baris lain di berkas ini)'
            else ' (wilayah yang dikonfigurasi)' end,
    source_path, source_row
from cooperatives
where regency_match = 'none'
union all
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'kab_kota_tidak_dikenali', 'kab_kota',
    coalesce(regency_name_exported, '(kosong)'),
    'tidak dapat ditempatkan (berkas memuat beberapa kab/kota), tidak dihitung', source_path, source_row
from unplaced
where regency_code is null

union all
-- The kab/kota decides the place; a kecamatan that lies in another kab/kota of the province contradicts it.
select 'cooperatives', 'cooperative', c.cooperative_number, c.record_label, 'kab_kota_tidak_sesuai_kecamatan',
    'kab_kota', coalesce(c.regency_name_exported, c.regency_official_name),
    'kecamatan ' || c.kecamatan_name_exported || ' ada di ' || r.region_name, c.source_path, c.source_row
from cooperatives as c
inner join regions as r on r.region_code = c.kecamatan_regency_code
union all
select 'cooperatives', 'cooperative', u.cooperative_number, u.record_label, 'kab_kota_tidak_sesuai_kecamatan',
    'kab_kota', u.regency_name_exported,
    'kecamatan ' || u.kecamatan_name_exported || ' ada di ' || r.region_name
        || '; dihitung di ' || u.regency_official_name || ' (di luar wilayah)', u.source_path, u.source_row
from unplaced as u
inner join regions as r on r.region_code = u.kecamatan_regency_code
where {{ in_region('u.kecamatan_regency_code') }}

union all
-- Book years: RAT for book year Y is held in Y + 1, so at an update in year U the newest possible is U - 1.
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'tahun_buku_belum_tutup',
    'tahun_buku_rat_terakhir', cast(rat_book_year_recorded as varchar), strftime(update_date, '%d-%m-%Y'),
    source_path, source_row
from cooperatives
where rat_book_year_not_closed
union all
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'tanggal_rat_setelah_pemutakhiran',
    'tanggal_rat', strftime(rat_date, '%d-%m-%Y'), strftime(update_date, '%d-%m-%Y'), source_path, source_row
from cooperatives
where rat_date > update_date
union all
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'tahun_buku_tidak_sesuai_tanggal_rat',
    'tahun_buku_rat_terakhir', cast(rat_book_year_recorded as varchar),
    case when rat_date_day_unknown then strftime(rat_date, '%m-%Y') else strftime(rat_date, '%d-%m-%Y') end,
    source_path, source_row
from cooperatives
where rat_book_year_disagrees_with_rat_date

union all
-- Identity: one number with two names in one update; two numbers one typo apart sharing name or badan hukum.
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'nomor_koperasi_nama_berbeda',
    'nama_koperasi', names_in_update_listed, cast(names_in_update as varchar), source_path, source_row
from cooperatives
where names_in_update > 1
union all
select 'cooperatives', 'cooperative', c.cooperative_number, c.record_label, 'duplikat_dicurigai',
    'nomor_induk_koperasi', s.number_b, s.shared, c.source_path, c.source_row
from suspected as s
inner join cooperatives as c on c.cooperative_number = s.number_a

union all
-- Health: a recorded predikat that is not recognised (category tidak_diketahui) or read fuzzily.
select 'cooperatives', 'cooperative_assessment', cooperative_number || '/' || assessment_year,
    'Penilaian kesehatan ' || assessment_year || ' koperasi ' || cooperative_number
        || coalesce(' (' || cooperative_name || ')', ''),
    case category_recorded_match when 'none' then 'predikat_tidak_dikenali' else 'nilai_dicocokkan_mirip' end,
    'predikat', category_recorded_exported,
    case category_recorded_match
        when 'none' then coalesce('menurut skor: ' || category_from_scores, 'skor tidak lengkap')
        else category_recorded
    end,
    source_path, source_row
from health
where category_recorded_match in ('none', 'fuzzy')

union all
-- No RAT for more than the active-rule years: the last RAT's book year is older than the last N closed book
-- years (or none is recorded).
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'coop_rat_overdue', 'rat_book_year',
    coalesce('tahun buku ' || rat_book_year, 'tidak tercatat'), '{{ n_years }}', source_path, source_row
from cooperatives
where rat_book_year is null or rat_book_year < last_closed_book_year - {{ n_years }} + 1

union all
select 'cooperatives', 'cooperative', v.cooperative_number,
    'Koperasi ' || v.cooperative_number || coalesce(' (' || v.cooperative_name || ')', ''),
    'coop_missing_from_latest', null, strftime(v.last_update, '%d-%m-%Y'),
    strftime(l.latest_update, '%d-%m-%Y'), v.source_path, v.source_row
from vanished as v
inner join regency_latest as l using (regency_code)

union all
select 'cooperatives', 'cooperative', c.cooperative_number, c.record_label, 'phone_malformed', 'no_hp', null, null,
    c.source_path, c.source_row
from cooperatives as c inner join contact using (cooperative_number)
where contact.no_hp_valid = false
union all
select 'cooperatives', 'cooperative', c.cooperative_number, c.record_label, 'email_malformed', 'email', null, null,
    c.source_path, c.source_row
from cooperatives as c inner join contact using (cooperative_number)
where contact.email_valid = false

{%- for column in ['modal_sendiri', 'modal_luar', 'volume_usaha', 'aset'] %}
union all
{{ quality_money_gaps('cooperatives', 'cooperatives', 'cooperative', 'cooperative_number', 'record_label',
                      column, column) }}
{%- endfor %}
union all
-- SHU may be negative (a loss): only implausibly large amounts are gaps.
select 'cooperatives', 'cooperative', cooperative_number, record_label, 'money_implausible', 'shu',
    {{ quality_number('shu') }}, {{ quality_number(var('quality_money_implausible_above')) }}, source_path, source_row
from cooperatives
where abs(shu) > {{ var('quality_money_implausible_above') }}

union all
{{ quality_date_gaps('cooperatives', 'cooperatives', 'cooperative', 'cooperative_number', 'record_label',
                     'legal_entity_date', 'tanggal_badan_hukum') }}
union all
{{ quality_date_gaps('cooperatives', 'cooperatives', 'cooperative', 'cooperative_number', 'record_label',
                     'rat_date', 'tanggal_rat') }}
