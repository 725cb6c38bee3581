import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { saveSession } from '../../api/session.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';

type Accounts = Array<{ id: number; name: string; slug: string }>;

/**
 * Sign-in. When the email and password open several accounts, the user picks one before the session is
 * made for it (the password stays in this form's memory only until then).
 */
export function SignInPage({ onSignedIn }: { onSignedIn(): void }) {
  const [email, setEmail] = useState('');
  useEffect(() => {
    document.title = 'Sign in · lmc';
  }, []);
  const [password, setPassword] = useState('');
  const [accounts, setAccounts] = useState<Accounts | null>(null);
  const [accountId, setAccountId] = useState<number>();
  const act = useAction(async (chosen?: number) => {
    const r = await api.post('/api/v1/auth/sign-in', { body: { email, password, ...(chosen ? { accountId: chosen } : {}) } });
    if (!chosen && r.accounts.length > 1) {
      setAccounts(r.accounts);
      setAccountId(r.accountId);
      return;
    }
    // Signing in for one chosen account answers only that account: keep the full list for the switcher.
    saveSession({ token: r.token, accountId: r.accountId, accounts: chosen && accounts ? accounts : r.accounts, email });
    onSignedIn();
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(accounts ? accountId : undefined);
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to lmc</h1>
        <p className="muted">Learning manager connectors — Integration Admin</p>
        {!accounts ? (
          <>
            <label>
              Email
              <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
            </label>
            <label>
              Password
              <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
          </>
        ) : (
          <fieldset>
            <legend>This login opens several accounts. Choose one:</legend>
            {accounts.map((a) => (
              <label key={a.id} className="radio">
                <input type="radio" name="account" value={a.id} checked={accountId === a.id} onChange={() => setAccountId(a.id)} />
                {a.name} <span className="muted">({a.slug})</span>
              </label>
            ))}
          </fieldset>
        )}
        <ErrorMessage error={act.error} />
        <button type="submit" className="primary" disabled={act.busy}>
          {act.busy ? 'Signing in…' : accounts ? 'Continue' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
