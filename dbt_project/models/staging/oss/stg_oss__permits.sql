-- One row per permit application (id_permohonan_izin), newest export first. A permit whose NIB is blank or
-- malformed is kept (nib NULL; 'nib' in unparsed_columns when malformed): its own kab/kota still places it.
with ranked as ({{ oss_exports_ranked(source('oss', 'oss_permit'), 'tgl_izin', 'id_permohonan_izin') }})

select
    ranked.id_permohonan_izin as permit_application_id,
    ranked.nib,
    ranked.nama_perusahaan as business_name,
    ranked.uraian_status_penanaman_modal as investment_status,
    ranked.id_proyek as project_id,
    ranked.kbli,
    upper(trim(ranked.kd_resiko)) as risk_code,
    risk.risk_level,
    ranked.tgl_izin as issued_on,
    ranked.tanggal_terbit_oss as nib_issued_on,
    ranked.uraian_jenis_perizinan as permit_type,
    ranked.nama_dokumen as document_name,
    ranked.uraian_kewenangan as authority,
    ranked.uraian_status_respon as response_status,
    ranked.propinsi as province_name,
    ranked.kab_kota as regency_name,
    ranked.kl_sektor as supervising_ministry,
    ranked._unparsed_columns as unparsed_columns,
    ranked._export_as_of as export_as_of,
    {{ source_columns('ranked', ['path', 'row']) }}
from ranked
left join {{ ref('oss_risk_levels') }} as risk on upper(trim(ranked.kd_resiko)) = risk.risk_code
where ranked.export_rank = 1
