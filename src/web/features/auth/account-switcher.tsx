import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { loadSession, saveSession } from '../../api/session.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';

/**
 * Switches to another account this login opens. Each account keeps its own password check, so switching
 * asks for the password again and makes a session for the chosen account.
 */
export function AccountSwitcher({ onSwitched }: { onSwitched(): void }) {
  const session = loadSession();
  const [target, setTarget] = useState<number>();
  const [password, setPassword] = useState('');
  const act = useAction(async () => {
    if (!session || !target) return;
    const r = await api.post('/api/v1/auth/sign-in', { body: { email: session.email, password, accountId: target } });
    // The session of the account left is ended on the server, not just forgotten.
    await api.post('/api/v1/auth/sign-out').catch(() => undefined);
    saveSession({ token: r.token, accountId: r.accountId, accounts: session.accounts, email: session.email });
    setTarget(undefined);
    setPassword('');
    onSwitched();
  });
  if (!session || session.accounts.length < 2) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run();
  };
  return (
    <form className="account-switcher" onSubmit={submit}>
      <label>
        Account
        <select value={target ?? session.accountId} onChange={(e) => setTarget(Number(e.target.value) === session.accountId ? undefined : Number(e.target.value))}>
          {session.accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      {target ? (
        <>
          <label>
            Password
            <input type="password" value={password} required onChange={(e) => setPassword(e.target.value)} />
          </label>
          <button type="submit" disabled={act.busy}>Switch</button>
        </>
      ) : null}
      <ErrorMessage error={act.error} />
    </form>
  );
}
