import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAction } from '../../lib/use-api.ts';

/** The public page of a hosted SFTP reset link: the responsible person sets the SFTP password (no sign-in). */
export function FtpResetPasswordPage({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState<string>();
  const [mismatch, setMismatch] = useState(false);
  const act = useAction(async () => {
    const r = await api.post('/api/v1/ftp/reset-password', { body: { token, password } });
    setDone(r.username);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== again);
    if (password === again) void act.run();
  };
  return (
    <main className="sign-in">
      <form className="card" onSubmit={submit} aria-labelledby="reset-title">
        <h1 id="reset-title">Set the FTP password</h1>
        {done ? (
          <div className="ok-box" role="status">The password of the SFTP login "{done}" is set. You can connect with your SFTP client now.</div>
        ) : (
          <>
            {!token ? <div className="error-box" role="alert">This link has no token.</div> : null}
            <label>
              New password
              <input type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
            <label>
              Repeat the password
              <input type="password" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.target.value)} />
            </label>
            {mismatch ? <div className="error-box" role="alert">The two passwords differ.</div> : null}
            <ErrorMessage error={act.error} />
            <button type="submit" className="primary" disabled={act.busy || !token}>Set password</button>
          </>
        )}
      </form>
    </main>
  );
}
