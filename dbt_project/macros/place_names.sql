{# Exports name places, not codes, and spell them loosely ("Kec. Balikpapan Kota", "Sungainangka",
   "KAB. BULUNGAN"). Both sides of every place match go through these keys. #}

{# Why: kab/kota names and cooperative code-list values are both typed with notes in brackets ("Balikpapan (Kota)",
   "aktif (RAT 2023)"); every key that drops them starts from this one rule: upper case, trimmed, each bracketed
   note (round or square brackets) replaced by a space. #}
{% macro upper_without_notes(text) -%}
    regexp_replace(upper(trim({{ text }})), '\([^)]*\)|\[[^\]]*\]', ' ', 'g')
{%- endmacro %}

{% macro place_key(name) -%}
    regexp_replace(
        regexp_replace(upper(trim({{ name }})),
            '^(KECAMATAN|KEC\.?|KELURAHAN|KEL\.?|DESA|DS\.?)\s+', ''),
        '[^A-Z0-9]', '', 'g')
{%- endmacro %}

{# Kab/kota keep their KOTA/KABUPATEN word ("Kota Bekasi" and "Kabupaten Bekasi" differ). A bracketed note is
   dropped ("Balikpapan (Kota)"); the old and administrative words for a city are the city ("Kodya Balikpapan",
   "Kotamadya Balikpapan", "Kota Madya Balikpapan", "Kota Adm. X" -> KOTA...); "Kab" / "Kab." -> KABUPATEN.
   Abbreviations ("Kota Bpp", "Smd") are rows of seeds/rules/kab_kota_aliases.csv, added to int_region_names_keyed. #}
{% macro regency_key(name) -%}
    regexp_replace(
        regexp_replace(
            regexp_replace(
                {{ upper_without_notes(name) }},
                '^\s*(KOTA\s*MADYA|KODYA|KOTA\s+ADM(INISTRASI|\.)?)\s*', 'KOTA '),
            '^\s*KAB(\.|UPATEN)?\s*', 'KABUPATEN '),
        '[^A-Z0-9]', '', 'g')
{%- endmacro %}

{# Without KOTA/KABUPATEN (or Kodya/Kotamadya): used only when unique nationally ("BALIKPAPAN"). #}
{% macro regency_base_key(name) -%}
    regexp_replace(
        regexp_replace(
            {{ upper_without_notes(name) }},
            '^\s*(KOTA\s*MADYA|KODYA|KOTA\s+ADM(INISTRASI|\.)?|KOTA|KAB(\.|UPATEN)?)\s*', ''),
        '[^A-Z0-9]', '', 'g')
{%- endmacro %}

{# True when a dotted Kemendagri code lies inside the configured region (var region_code). #}
{% macro in_region(code) -%}
    starts_with({{ code }} || '.', '{{ var("region_code") }}' || '.')
{%- endmacro %}

{# Why: a name typed for a place of the region ("Sepinggan", "Bpp Kota") may name a kecamatan or a kelurahan;
   both lookups follow one rule, written once: the name keys of one region level (kecamatan, desa_kelurahan)
   inside the configured region that are unique there, with the kecamatan each lies in. `regions` is
   stg_reference__regions (a relation or CTE name). #}
{% macro region_names_unique_in_region(regions, level) -%}
    select name_key, any_value(kecamatan_code) as kecamatan_code
    from {{ regions }}
    where region_level = '{{ level }}' and {{ in_region('region_code') }}
    group by name_key
    having count(*) = 1
{%- endmacro %}
