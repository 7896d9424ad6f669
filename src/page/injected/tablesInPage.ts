/**
 * Runs inside the page (serialized with toString): no imports, no closures over module scope.
 *
 * Rewrites every table of `root` (a detached clone) into the one shape GFM can express: a single header row
 * followed by body rows, all of the same width. colspan/rowspan become empty cells; a table without header cells
 * gets its first row promoted (a key/value table gets an empty header row); a caption moves above the table. Layout tables (nested tables, one column without
 * header cells, role=presentation) are unwrapped into blocks, since a pipe table of paragraphs helps nobody.
 */
export function normalizeTables(root: Element): void {
  const doc = root.ownerDocument;
  // Innermost first, so an outer layout table sees its data tables already normalized.
  const tables = Array.from(root.getElementsByTagName('table')).reverse();
  for (const table of tables) {
    if (!(table instanceof HTMLTableElement)) continue;
    const rows = Array.from(table.rows);
    const grid: (HTMLTableCellElement | null)[][] = rows.map(() => []);
    let width = 0;
    let hasHeaderCell = false;
    rows.forEach((row, r) => {
      let col = 0;
      for (const cell of Array.from(row.cells)) {
        const line = grid[r] ?? [];
        while (line[col] !== undefined) col++;
        if (cell.tagName === 'TH') hasHeaderCell = true;
        const colSpan = Math.min(Math.max(cell.colSpan, 1), 64);
        const rowSpan = cell.rowSpan === 0 ? rows.length - r : Math.min(Math.max(cell.rowSpan, 1), rows.length - r);
        for (let dr = 0; dr < rowSpan; dr++) {
          const target = grid[r + dr];
          if (target === undefined) continue;
          for (let dc = 0; dc < colSpan; dc++) target[col + dc] = dr === 0 && dc === 0 ? cell : null;
        }
        col += colSpan;
        width = Math.max(width, col);
      }
    });

    const nested = table.getElementsByTagName('table').length > 0;
    const role = table.getAttribute('role');
    if (rows.length === 0 || width === 0) {
      table.remove();
      continue;
    }
    if (nested || role === 'presentation' || role === 'none' || (width === 1 && !hasHeaderCell)) {
      const blocks = doc.createElement('div');
      for (const line of grid) {
        for (const cell of line) {
          if (cell === null || cell === undefined) continue;
          const block = doc.createElement('div');
          block.append(...Array.from(cell.childNodes));
          blocks.append(block);
        }
      }
      table.replaceWith(blocks);
      continue;
    }

    const rebuilt = doc.createElement('table');
    const caption = table.caption;
    if (caption !== null && (caption.textContent ?? '').trim() !== '') {
      const label = doc.createElement('p');
      label.append(...Array.from(caption.childNodes));
      table.before(label);
    }
    const head = doc.createElement('thead');
    const body = doc.createElement('tbody');
    // A key/value table (row headers only) gets an empty header row rather than its first pair promoted.
    const keyValue = width === 2 && grid.every((line) => line[0]?.tagName === 'TH' && line[1]?.tagName === 'TD');
    if (keyValue) {
      const tr = doc.createElement('tr');
      tr.append(doc.createElement('th'), doc.createElement('th'));
      head.append(tr);
    }
    grid.forEach((line, r) => {
      const inHead = r === 0 && !keyValue;
      const tr = doc.createElement('tr');
      for (let c = 0; c < width; c++) {
        const source = line[c];
        const cell = doc.createElement(inHead || source?.tagName === 'TH' ? 'th' : 'td');
        if (source !== null && source !== undefined) {
          cell.append(...Array.from(source.childNodes));
          const align = source.getAttribute('align');
          if (align !== null) cell.setAttribute('align', align);
        }
        tr.append(cell);
      }
      (inHead ? head : body).append(tr);
    });
    rebuilt.append(head, body);
    table.replaceWith(rebuilt);
  }
}
