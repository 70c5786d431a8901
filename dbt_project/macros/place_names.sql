{# Exports name places, not codes, and spell them loosely ("Kec. Balikpapan Kota", "Sungainangka",
   "KAB. BULUNGAN"). Both sides of every place match go through these keys. #}

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
                regexp_replace(upper(trim({{ name }})), '\([^)]*\)|\[[^\]]*\]', ' ', 'g'),
                '^\s*(KOTA\s*MADYA|KODYA|KOTA\s+ADM(INISTRASI|\.)?)\s*', 'KOTA '),
            '^\s*KAB(\.|UPATEN)?\s*', 'KABUPATEN '),
        '[^A-Z0-9]', '', 'g')
{%- endmacro %}

{# Without KOTA/KABUPATEN (or Kodya/Kotamadya): used only when unique nationally ("BALIKPAPAN"). #}
{% macro regency_base_key(name) -%}
    regexp_replace(
        regexp_replace(
            regexp_replace(upper(trim({{ name }})), '\([^)]*\)|\[[^\]]*\]', ' ', 'g'),
            '^\s*(KOTA\s*MADYA|KODYA|KOTA\s+ADM(INISTRASI|\.)?|KOTA|KAB(\.|UPATEN)?)\s*', ''),
        '[^A-Z0-9]', '', 'g')
{%- endmacro %}

{# True when a dotted Kemendagri code lies inside the configured region (var region_code). #}
{% macro in_region(code) -%}
    starts_with({{ code }} || '.', '{{ var("region_code") }}' || '.')
{%- endmacro %}
