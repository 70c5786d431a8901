-- One row per listed partner company (mitra), linked to its event through its file like participants.
with partners as (select * from {{ source('events', 'event_partner') }}),
info as (select * from {{ source('events', 'event_info') }}),

file_events as ({{ event_file_events('info') }})

select
    file_events.event_id,
    partners.nama_perusahaan as partner_name,
    {{ event_group_key('partners.nama_perusahaan') }} as partner_key,
    lower(partners.jenis_mitra) as partner_kind,
    partners.alamat as partner_address,
    partners.no_hp_valid as phone_valid,
    {{ source_columns('partners', ['path', 'sheet', 'row']) }}
from partners
left join file_events using (_path)
