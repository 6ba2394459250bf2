#!/usr/bin/python3
"""Writes the broken and hostile ratings workbooks of the bad-input
catalogue (tests/bad_inputs/ratings_xlsx/*.xlsx).

    make_ratings_xlsx.py

The files about the ratings are small workbooks written with openpyxl
against the built-in framework; the files about the container and its XML
are written by hand with zipfile (the helpers of make_framework_xlsx.py),
so each holds exactly one problem.  Needs openpyxl."""

import io
import os

import openpyxl

import make_framework_xlsx as fx

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ratings_xlsx')

WORKBOOK = fx.WORKBOOK.replace('name="Framework"', 'name="Ratings"')


def minimal(sheet_xml, **extra):
    parts = {'[Content_Types].xml': fx.CONTENT_TYPES, '_rels/.rels': fx.ROOT_RELS, 'xl/workbook.xml': WORKBOOK,
             'xl/_rels/workbook.xml.rels': fx.WORKBOOK_RELS, 'xl/worksheets/sheet1.xml': sheet_xml}
    parts.update(extra)
    return fx.package(parts)


def book(rows, title='Ratings'):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write(name, data):
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(data)


LONG = ['ratee', 'rater', 'role', 'competency', 'level', 'period', 'career_level']


def main():
    good = book([LONG, ['pm01', 'mgr1', 'manager', 'product-delivery', 3, '2026Q1', 'pm'],
                 ['pm01', 'pm01', 'self', 'product-delivery', 4, '2026Q1', 'pm']])
    write('empty.xlsx', b'')
    write('not_a_zip.xlsx', b'ratee,rater,role,competency,level,period\n')
    write('truncated.xlsx', good[:len(good) // 2])
    # One part that inflates 1000 times: 16 MiB of spaces in about 16 KiB.
    write('zip_bomb.xlsx', minimal(fx.sheet('') + ' ' * (16 << 20)))
    write('huge_shared_string_index.xlsx',
          minimal(fx.sheet('<row r="1"><c r="A1" t="s"><v>4294967295</v></c></row>'),
                  **{'xl/sharedStrings.xml': '<?xml version="1.0" encoding="UTF-8"?>'
                     '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
                     'uniqueCount="1"><si><t>ratee</t></si></sst>'}))
    write('no_rows.xlsx', book([LONG]))
    write('wide_unknown_competency.xlsx',
          book([['ratee', 'rater', 'role', 'period', 'product-delivery', 'Vision'],
                ['pm01', 'mgr1', 'manager', '2026Q1', 3, 4]]))
    write('relative_mixed_with_absolute.xlsx',
          book([LONG, ['pm01', 'mgr1', 'manager', 'product-delivery', 'On Track', '2026Q1', 'pm'],
                ['pm01', 'mgr1', 'manager', 'managing-up', 'Outperforming', '2026Q1', 'pm'],
                ['pm02', 'mgr1', 'manager', 'product-delivery', 'proficient', '2026Q1', 'pm']]))
    write('fractional_level.xlsx',
          book([LONG, ['pm01', 'mgr1', 'manager', 'product-delivery', 2.5, '2026Q1', 'pm']]))
    write('error_value.xlsx',
          minimal(fx.sheet(''.join(
              '<row r="%d">%s</row>' % (r, ''.join(
                  '<c r="%s%d" t="%s"><%s>%s</%s></c>' % (
                      chr(ord('A') + i), r, kind, 'v' if kind == 'e' else 'is',
                      value if kind == 'e' else '<t>%s</t>' % value, 'v' if kind == 'e' else 'is')
                  for i, (kind, value) in enumerate(cells)))
              for r, cells in ((1, [('inlineStr', c) for c in LONG[:6]]),
                               (2, [('inlineStr', 'pm01'), ('inlineStr', 'mgr1'), ('inlineStr', 'manager'),
                                    ('inlineStr', 'product-delivery'), ('e', '#N/A'), ('inlineStr', '2026Q1')]))))))
    write('several_problems.xlsx',
          book([LONG, ['pm01', 'mgr1', 'boss', 'product-delivery', 3, '2026Q1', 'pm'],
                ['pm01', 'mgr1', 'manager', 'vision', 3, '2026Q1', 'pm'],
                ['pm01', 'mgr1', 'manager', 'product-quality', 9, '2026Q1', 'pm'],
                ['pm01', 'mgr1', 'manager', 'strategic-impact', 3, '2026q7', 'pm']]))


if __name__ == '__main__':
    main()
