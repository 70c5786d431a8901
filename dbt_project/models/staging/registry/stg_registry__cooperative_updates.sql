-- One row per cooperative (Nomor Induk Koperasi) per data update, every region: typed and renamed.
-- Update date = one date per export file: its as-of date (title rows, file name), else the latest Tanggal
-- Pemutakhiran in the file. A row's own Tanggal Pemutakhiran is often that cooperative's last edit, so it stays
-- an attribute and never splits one export into several updates. The same cooperative twice in one update
-- counts once: the copy with the newest own Tanggal Pemutakhiran wins (a stale copy further down loses), then the
-- later file and row. Two different names under one number in one update are kept visible (names_in_update).
{%- set registry = source('registry', 'coop_registry') %}
with rows as (
    select
        *,
        coalesce(_file_date, max(tanggal_pemutakhiran) over (partition by _file_id)) as update_date,
        case
            when _file_date is not null then 'export_date'
            else 'file_latest_tanggal_pemutakhiran'
        end as update_date_basis,
        {{ coop_optional_column(registry, 'tanggal_rat_day_unknown', 'false') }} as rat_date_day_unknown,
        {{ coop_optional_column(registry, '_unparsed_values', 'null::map(varchar, varchar)') }} as unparsed_values,
        {{ coop_name_key('nama_koperasi') }} as name_key
    from {{ registry }}
    -- The loader rejects every other number; kept as a guard so nothing else can be counted.
    where regexp_full_match(nomor_induk_koperasi, '[0-9]{16}')
),

ranked as (
    select
        *,
        row_number() over (
            partition by nomor_induk_koperasi, update_date
            order by tanggal_pemutakhiran desc nulls last, _path desc, _row_number desc
        ) as copy_rank,
        count(*) over (partition by nomor_induk_koperasi, update_date) as rows_in_update,
        count(distinct name_key) over (partition by nomor_induk_koperasi, update_date) as names_in_update
    from rows
    where update_date is not null
),

-- Every name one number carries in one update (only where there are several): two cooperatives merged under one
-- number, or a number typed on the wrong row.
names as (
    select
        nomor_induk_koperasi,
        update_date,
        string_agg(distinct nama_koperasi, ' | ' order by nama_koperasi) as names_in_update_listed
    from ranked
    where names_in_update > 1
    group by all
)

select
    ranked.nomor_induk_koperasi as cooperative_number,
    ranked.update_date,
    ranked.update_date_basis,
    ranked.tanggal_pemutakhiran as row_updated_date,
    ranked.nama_koperasi as cooperative_name,
    ranked.name_key as cooperative_name_key,
    ranked.nomor_badan_hukum as legal_entity_number,
    ranked.tanggal_badan_hukum as legal_entity_date,
    ranked.kab_kota as regency_name_exported,
    ranked.kecamatan as kecamatan_name_exported,
    ranked.kelurahan as kelurahan_name_exported,
    ranked.bentuk_koperasi as bentuk_exported,
    ranked.jenis_koperasi as jenis_exported,
    ranked.kelompok_koperasi as kelompok,
    ranked.sektor_usaha,
    ranked.status_koperasi as status_exported,
    ranked.tahun_buku_rat_terakhir as rat_book_year_recorded,
    ranked.tanggal_rat as rat_date,
    ranked.rat_date_day_unknown,
    ranked.anggota_laki_laki as members_male,
    ranked.anggota_perempuan as members_female,
    ranked.jumlah_manajer as managers,
    ranked.jumlah_karyawan as employees,
    ranked.modal_sendiri,
    ranked.modal_luar,
    ranked.volume_usaha,
    ranked.aset,
    ranked.shu,
    ranked.pelaporan_digital as digital_reporting_exported,
    ranked.tahun_mulai_pelaporan_digital as digital_reporting_since,
    ranked.rows_in_update,
    ranked.names_in_update,
    names.names_in_update_listed,
    ranked._unparsed_columns as unparsed_columns,
    ranked.unparsed_values,
    {{ source_columns('ranked', ['path', 'sheet', 'row', 'file_id', 'file_hash']) }}
from ranked
left join names using (nomor_induk_koperasi, update_date)
where ranked.copy_rank = 1
