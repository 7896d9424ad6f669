import { documentShell, pick, seeded } from './common.js';
import type { BenchPage } from './types.js';

const CUSTOMERS = ['Northwind Traders', 'Globex', 'Initech', 'Umbrella Health', 'Stark Logistics', 'Wayne Foods', 'Acme Retail', 'Hooli', 'Vandelay Imports', 'Soylent Labs'];
const STATUSES = ['Pending', 'Paid', 'Overdue', 'Draft'];
export const TABLE_TARGET = 'INV-1037';

function rows(): string {
  const random = seeded(1037);
  return Array.from({ length: 50 }, (_, i) => {
    const id = `INV-${1000 + i}`;
    const amount = (200 + random() * 9800).toFixed(2);
    const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
    return `<tr data-id="${id}"><td><input type="checkbox" aria-label="Select ${id}"></td><th scope="row">${id}</th><td>${pick(CUSTOMERS, random)}</td><td>2026-10-${day}</td><td class="num">$${amount}</td><td class="state">${pick(STATUSES, random)}</td>
<td><button type="button" class="approve">Approve</button> <button type="button">Edit</button> <a href="/invoices/${id}">View</a></td></tr>`;
  }).join('\n');
}

const script = `let approvals = 0;
document.querySelector('tbody').addEventListener('click', (event) => {
  const button = event.target.closest('button.approve');
  if (!button) return;
  approvals += 1;
  const row = button.closest('tr');
  row.querySelector('.state').textContent = 'Approved';
  report('Approved ' + row.dataset.id + ' (' + approvals + ')');
});`;

export const tablePage: BenchPage = {
  name: 'data table',
  html: () =>
    documentShell(
      'Invoices · Ledgerly',
      'table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}.num{text-align:right}',
      `<header><strong>Ledgerly</strong><nav aria-label="App"><ul><li><a href="/dash">Dashboard</a></li><li><a href="/inv">Invoices</a></li><li><a href="/cust">Customers</a></li><li><a href="/reports">Reports</a></li><li><a href="/settings">Settings</a></li></ul></nav></header>
<main style="padding:16px"><h1>Invoices</h1><p>50 invoices · October 2026</p>
<p><label>Status <select><option>All</option>${STATUSES.map((status) => `<option>${status}</option>`).join('')}</select></label> <label>Search <input type="search" placeholder="Invoice or customer"></label> <button type="button">Export CSV</button> <button type="button">New invoice</button></p>
<table><caption>Invoices for October 2026</caption><thead><tr><th><input type="checkbox" aria-label="Select all"></th><th>Invoice</th><th>Customer</th><th>Date</th><th>Amount</th><th>Status</th><th>Actions</th></tr></thead>
<tbody>${rows()}</tbody><tfoot><tr><td></td><th>Total</th><td colspan="2">50 invoices</td><td class="num">$254,880.12</td><td colspan="2"></td></tr></tfoot></table>
<nav aria-label="Pagination"><a href="/prev">Previous</a> Page 1 of 4 <a href="/next">Next</a></nav></main>`,
      script,
    ),
  task: {
    goal: `Click Approve on invoice ${TABLE_TARGET}`,
    actions: [{ kind: 'click', role: 'button', label: 'Approve', context: TABLE_TARGET }],
    repeatable: 0,
    expect: `Approved ${TABLE_TARGET}`,
  },
};
