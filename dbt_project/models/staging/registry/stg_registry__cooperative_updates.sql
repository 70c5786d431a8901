-- One row per cooperative (Nomor Induk Koperasi) per data update, every region: typed and renamed.
-- Update date = one date per export file: its as-of date (title rows, file name), else the latest Tanggal
-- Pemutakhiran in the file. A row's own Tanggal Pemutakhiran is often that cooperative's last edit, so it stays
-- an attribute and never splits one export into several updates. The same cooperative twice in one update
-- counts once.
with rows as (
    select
        *,
        coalesce(_file_date, max(tanggal_pemutakhiran) over (partition by _file_id)) as update_date,
        case
            when _file_date is not null then 'export_date'
            else 'file_latest_tanggal_pemutakhiran'
        end as update_date_basis
    from {{ source('registry', 'coop_registry') }}
    -- The loader rejects every other number; kept as a guard so nothing else can be counted.
    where regexp_full_match(nomor_induk_koperasi, '[0-9]{16}')
),

ranked as (
    select
        *,
        row_number() over (
            partition by nomor_induk_koperasi, update_date order by _path desc, _row_number desc
        ) as copy_rank,
        count(*) over (partition by nomor_induk_koperasi, update_date) as rows_in_update
    from rows
    where update_date is not null
)

select
    nomor_induk_koperasi as cooperative_number,
    update_date,
    update_date_basis,
    nama_koperasi as cooperative_name,
    nomor_badan_hukum as legal_entity_number,
    tanggal_badan_hukum as legal_entity_date,
    kab_kota as regency_name_exported,
    kecamatan as kecamatan_name_exported,
    kelurahan as kelurahan_name_exported,
    bentuk_koperasi as bentuk_exported,
    jenis_koperasi as jenis_exported,
    kelompok_koperasi as kelompok,
    sektor_usaha,
    status_koperasi as status_exported,
    tahun_buku_rat_terakhir as rat_book_year_recorded,
    tanggal_rat as rat_date,
    anggota_laki_laki as members_male,
    anggota_perempuan as members_female,
    jumlah_manajer as managers,
    jumlah_karyawan as employees,
    modal_sendiri,
    modal_luar,
    volume_usaha,
    aset,
    shu,
    pelaporan_digital as digital_reporting_exported,
    tahun_mulai_pelaporan_digital as digital_reporting_since,
    rows_in_update,
    _unparsed_columns as unparsed_columns,
    _path as source_path,
    _sheet as source_sheet,
    _row_number as source_row,
    _file_hash as source_file_hash
from ranked
where copy_rank = 1
