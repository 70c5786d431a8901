-- One row per listed partner company (mitra), linked to its event through its file like participants.
with partners as (select * from {{ source('events', 'event_partner') }}),
info as (select * from {{ source('events', 'event_info') }}),

file_events as (
    select _path, any_value({{ event_id('nama_kegiatan', 'tanggal_mulai') }}) as event_id
    from info
    group by _path
    having count(*) = 1
)

select
    file_events.event_id,
    partners.nama_perusahaan as partner_name,
    {{ event_group_key('partners.nama_perusahaan') }} as partner_key,
    lower(partners.jenis_mitra) as partner_kind,
    partners.alamat as partner_address,
    partners.no_hp_valid as phone_valid,
    partners._path as source_path,
    partners._sheet as source_sheet,
    partners._row_number as source_row
from partners
left join file_events using (_path)
