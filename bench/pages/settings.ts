import { documentShell, slug } from './common.js';
import type { BenchPage } from './types.js';

const TIMEZONES = ['UTC', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Sao_Paulo', 'Europe/London', 'Europe/Paris', 'Europe/Berlin', 'Europe/Madrid', 'Africa/Lagos', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland'];
const LANGUAGES = ['English', 'Français', 'Deutsch', 'Español', 'Italiano', 'Português', 'Nederlands', 'Polski', '日本語', '한국어', '中文'];

const select = (label: string, name: string, options: readonly string[], chosen: string): string =>
  `<p><label for="${name}">${label}</label><br><select id="${name}" name="${name}">${options.map((option) => `<option${option === chosen ? ' selected' : ''}>${option}</option>`).join('')}</select></p>`;
const checkbox = (label: string, checked: boolean, hint: string): string =>
  `<p><label><input type="checkbox"${checked ? ' checked' : ''}> ${label}</label><br><small>${hint}</small></p>`;
const radios = (legend: string, name: string, options: readonly string[], chosen: string): string =>
  `<fieldset><legend>${legend}</legend>${options.map((option) => `<label><input type="radio" name="${name}" value="${option}"${option === chosen ? ' checked' : ''}> ${option}</label> `).join('')}</fieldset>`;

const body = `<header><strong>Workbench</strong> <nav aria-label="Main"><ul><li><a href="/home">Home</a></li><li><a href="/projects">Projects</a></li><li><a href="/team">Team</a></li><li><a href="/billing">Billing</a></li></ul></nav></header>
<div style="display:flex;gap:24px;padding:16px">
<nav aria-label="Settings"><h2>Settings</h2><ul style="display:block">${['Profile', 'Account', 'Notifications', 'Security', 'Integrations', 'API keys', 'Billing', 'Danger zone'].map((item) => `<li><a href="/settings/${slug(item)}">${item}</a></li>`).join('')}</ul></nav>
<main><h1>Profile settings</h1>
<form id="settings">
<section><h2>Public profile</h2>
<p><label for="display">Display name</label><br><input id="display" value="Ada Lovelace"></p>
<p><label for="handle">Username</label><br><input id="handle" value="ada"></p>
<p><label for="bio">Bio</label><br><textarea id="bio" rows="4">Mathematician. Writes notes on the Analytical Engine.</textarea></p>
<p><label for="site">Website</label><br><input id="site" type="url" placeholder="https://"></p></section>
<section><h2>Regional</h2>
${select('Language', 'language', LANGUAGES, 'English')}
${select('Timezone', 'timezone', TIMEZONES, 'UTC')}
${select('Date format', 'datefmt', ['2026-11-24', '24/11/2026', '11/24/2026', '24 Nov 2026'], '2026-11-24')}
${radios('Week starts on', 'week', ['Monday', 'Sunday', 'Saturday'], 'Monday')}</section>
<section><h2>Notifications</h2>
${checkbox('Email me weekly digests', true, 'A summary of activity in your projects, every Monday.')}
${checkbox('Email me when someone mentions me', true, 'Sent at most once an hour.')}
${checkbox('Push notifications', false, 'On devices where you are signed in.')}
${checkbox('Product news and tips', false, 'A few times a year.')}
${radios('Theme', 'theme', ['System', 'Light', 'Dark'], 'System')}</section>
<p><button type="submit">Save settings</button> <button type="reset">Discard changes</button></p>
</form></main></div>`;

const script = `let saves = 0;
document.getElementById('settings').addEventListener('submit', (event) => {
  event.preventDefault();
  saves += 1;
  report('Saved: timezone ' + document.getElementById('timezone').value + ' (' + saves + ')');
});`;

export const settingsPage: BenchPage = {
  name: 'settings form',
  html: () => documentShell('Profile settings · Workbench', 'fieldset{margin:8px 0}', body, script),
  task: {
    goal: 'Set Timezone to Europe/Paris and click Save settings',
    actions: [
      { kind: 'select', role: 'combobox', label: 'Timezone', value: 'Europe/Paris' },
      { kind: 'click', role: 'button', label: 'Save settings' },
    ],
    repeatable: 1,
    expect: 'Saved: timezone Europe/Paris',
  },
};
