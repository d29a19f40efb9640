/**
 * Sign-in: email + password, and the workspace once the API asks for it (an email with accounts
 * in several workspaces). A wrong password or a rate limit shows under the field the API names;
 * on success the auth context holds the new session and the shell routes to the page asked for.
 */
import { useState } from 'react';
import { ApiError } from '../api/client';
import { useAuth } from '../app/auth';
import { Button, Field, FormError, Input, Panel, Spinner } from '../ui';
import { useSubmit } from './shared/useAsyncAction';
import './pages.css';

export function LoginPage() {
  const { signIn } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [workspace, setWorkspace] = useState('');
  const [askWorkspace, setAskWorkspace] = useState(false);
  const { submit, busy, errors, fieldError, capture, setField } = useSubmit(['email', 'password', 'workspace'], () => signIn(email.trim(), password, workspace.trim() || undefined), {
    validate: () => (!email.trim() ? ['email', 'Enter your email address.'] : !password ? ['password', 'Enter your password.'] : null),
    onError: (err) => {
      if (err instanceof ApiError && err.field === 'workspace') setAskWorkspace(true);
      // Rate limiting and bad credentials name no field of their own: they are about the password try.
      if (!capture(err) && err instanceof ApiError && (err.status === 401 || err.status === 429)) setField('password', err.message);
    },
  });

  return (
    <div className="center-fill">
      <Panel title="Sign in to Switchboard" className="pg-login">
        <form onSubmit={submit} noValidate aria-label="Sign in">
          <Field label="Email" error={fieldError('email')}>
            <Input type="email" name="email" autoComplete="username" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label="Password" error={fieldError('password')}>
            <Input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </Field>
          {askWorkspace && (
            <Field label="Workspace" help="Your email signs in to more than one workspace: enter the workspace's short name (shown when you hover your name in the console)." error={fieldError('workspace')}>
              <Input name="workspace" autoComplete="organization" autoFocus value={workspace} onChange={(e) => setWorkspace(e.target.value)} />
            </Field>
          )}
          <FormError message={errors.form} />
          <div className="pg-row">
            <Button type="submit" variant="primary" disabled={busy}>
              Sign in
            </Button>
            {busy && <Spinner label="Signing in" />}
          </div>
        </form>
      </Panel>
    </div>
  );
}
