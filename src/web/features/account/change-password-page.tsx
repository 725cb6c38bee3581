import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';
import { useMe } from '../auth/use-me.ts';

/**
 * Your account › Change password: the current password, then the new one twice (the start-up message of a new
 * server tells the first admin to do this). Other signed-in browsers of this user are signed out.
 */
export function ChangePasswordPage() {
  const me = useMe();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState(false);
  const [mismatch, setMismatch] = useState<Error>();
  const change = useAction(async () => {
    await api.post('/api/v1/me/password', { body: { currentPassword: current, newPassword: next } });
    setCurrent('');
    setNext('');
    setAgain('');
    setDone(true);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    setMismatch(next === again ? undefined : new Error('The two new passwords differ: type the same one twice.'));
    if (next === again) void change.run();
  };
  return (
    <section aria-labelledby="pw-title">
      <h1 id="pw-title">Your account › Change password</h1>
      <p className="muted">Signed in as {me.email}. Your other signed-in browsers are signed out when the password changes.</p>
      <form className="stack card" onSubmit={submit}>
        <label>Current password<input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} /></label>
        <div className="field">
          <label htmlFor="pw-new">New password</label>
          <input id="pw-new" type="password" autoComplete="new-password" required minLength={12} value={next} onChange={(e) => setNext(e.target.value)} aria-describedby="pw-new-help" />
          <small id="pw-new-help" className="muted">At least 12 characters; a few words are easier to remember than symbols.</small>
        </div>
        <label>Repeat the new password<input type="password" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.target.value)} /></label>
        <ErrorMessage error={mismatch ?? change.error} />
        {done ? <div className="ok-box" role="status">Password changed.</div> : null}
        <div className="row"><button type="submit" className="primary" disabled={change.busy}>Change password</button></div>
      </form>
    </section>
  );
}
