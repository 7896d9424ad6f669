import { bigFooter, documentShell } from './common.js';
import type { BenchPage } from './types.js';

const body = `<header><nav aria-label="Main"><ul><li><a href="/home">Acme Cloud</a></li><li><a href="/pricing">Pricing</a></li><li><a href="/docs">Docs</a></li><li><a href="/support">Support</a></li></ul></nav></header>
<main style="max-width:380px;margin:40px auto">
<h1>Sign in to Acme Cloud</h1>
<p>Welcome back. Use your work email to continue.</p>
<form id="login" novalidate>
  <p><label for="email">Email</label><br><input id="email" name="email" type="email" autocomplete="username" placeholder="you@company.com"></p>
  <p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password"></p>
  <p><label><input type="checkbox" name="remember"> Keep me signed in</label></p>
  <p><button type="submit">Sign in</button> <a href="/forgot">Forgot password?</a></p>
</form>
<p>Or continue with</p>
<p><button type="button">Continue with Google</button> <button type="button">Continue with GitHub</button> <button type="button">Continue with SSO</button></p>
<p>New here? <a href="/signup">Create an account</a></p>
</main>
${bigFooter(['Product', 'Company', 'Resources'], 5)}`;

const script = `let attempts = 0;
document.getElementById('login').addEventListener('submit', (event) => {
  event.preventDefault();
  attempts += 1;
  const email = document.getElementById('email').value;
  report(email ? 'Signed in as ' + email + ' (' + attempts + ')' : 'Enter your email');
});`;

export const loginPage: BenchPage = {
  name: 'login',
  html: () => documentShell('Sign in · Acme Cloud', '', body, script),
  task: {
    goal: 'Fill Email with ada@example.com and click Sign in',
    actions: [
      { kind: 'fill', role: 'textbox', label: 'Email', value: 'ada@example.com' },
      { kind: 'click', role: 'button', label: 'Sign in' },
    ],
    repeatable: 1,
    expect: 'Signed in as ada@example.com',
  },
};
