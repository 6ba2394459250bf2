#!/usr/bin/python3
"""Writes the broken and hostile framework workbooks of the bad-input
catalogue (tests/bad_inputs/framework_xlsx/*.xlsx).

    make_framework_xlsx.py BUILTIN.xlsx

BUILTIN.xlsx is the built-in framework's workbook
(`calibra framework export --to xlsx --out BUILTIN.xlsx`); the files about
the framework's content are edits of it.  The files about the container
and its XML are written by hand with zipfile, so each holds exactly one
problem.  Needs openpyxl."""

import io
import os
import sys
import zipfile

import openpyxl

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'framework_xlsx')

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/></Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Framework" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def sheet(rows_xml):
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData>' + rows_xml + '</sheetData></worksheet>')


def package(parts, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', compression) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compression
            z.writestr(info, text)
    return buffer.getvalue()


def minimal(sheet_xml, **extra):
    parts = {'[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': ROOT_RELS, 'xl/workbook.xml': WORKBOOK,
             'xl/_rels/workbook.xml.rels': WORKBOOK_RELS, 'xl/worksheets/sheet1.xml': sheet_xml}
    parts.update(extra)
    return package(parts)


def write(name, data):
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(data)


def edited(builtin, name, edit):
    book = openpyxl.load_workbook(builtin)
    edit(book)
    book.save(os.path.join(HERE, name))


def main(builtin):
    with open(builtin, 'rb') as f:
        good = f.read()
    write('empty.xlsx', b'')
    write('not_a_zip.xlsx', b'Field,Value\nFormat,calibra-framework/1\n')
    write('truncated.xlsx', good[:len(good) // 2])
    write('zip_without_workbook.xlsx', package({'notes.txt': 'a ZIP archive, but not a workbook\n'}))
    # One part that inflates 1000 times: 16 MiB of zeros in about 16 KiB.
    write('zip_bomb.xlsx', minimal(sheet('') + ' ' * (16 << 20)))
    write('missing_sheet_part.xlsx', package({
        '[Content_Types].xml': CONTENT_TYPES, '_rels/.rels': ROOT_RELS, 'xl/workbook.xml': WORKBOOK,
        'xl/_rels/workbook.xml.rels': WORKBOOK_RELS}))
    write('bad_cell_ref.xlsx', minimal(sheet('<row r="1"><c r="A0" t="inlineStr"><is><t>Field</t></is></c></row>')))
    write('huge_shared_string_index.xlsx',
          minimal(sheet('<row r="1"><c r="A1" t="s"><v>4294967295</v></c></row>'),
                  **{'xl/sharedStrings.xml': '<?xml version="1.0" encoding="UTF-8"?>'
                     '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
                     'uniqueCount="1"><si><t>Field</t></si></sst>'}))
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')
    write('entity_expansion.xlsx', minimal(laughs))
    write('deep_nesting.xlsx', minimal(sheet('<x>' * 100000 + '</x>' * 100000)))
    write('bad_number.xlsx', minimal(sheet('<row r="1"><c r="B1"><v>1e99999</v></c></row>')))

    def unknown_level(book):
        book['Targets']['D7'] = 'master'
    edited(builtin, 'unknown_level_in_targets.xlsx', unknown_level)

    def no_targets(book):
        del book['Targets']
    edited(builtin, 'missing_targets_sheet.xlsx', no_targets)

    def far_cell(book):
        # One cell in the last row and column of the grid: the reader walks
        # cells, not the 1048576 x 16384 grid.
        book['Targets']['XFD1048576'] = 'expert'
    edited(builtin, 'far_cell.xlsx', far_cell)

    def several(book):
        book['Framework']['B6'] = '2026-13-45'
        book['Competencies']['D3'] = 'tactical'
        book['Targets']['D7'] = 'master'
        book['Targets']['C3'] = 'nope'
        book['Career levels']['D3'] = 'two'
    edited(builtin, 'several_problems.xlsx', several)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
