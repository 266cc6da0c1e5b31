import { useState } from "preact/hooks";
import { signIn, signUp } from "../api/session.js";
import { Alert, Page } from "../ui/bits.js";
import { useCommand } from "../ui/hooks.js";
import { Link, navigate } from "../ui/router.js";
import { homeOf } from "./roles.js";

const Field = (props: {
  readonly id: string;
  readonly label: string;
  readonly type?: "text" | "email" | "password";
  readonly autocomplete: string;
  readonly value: string;
  readonly onInput: (v: string) => void;
  readonly minLength?: number;
}) => (
  <p class="field">
    <label for={props.id}>{props.label}</label>
    <input
      id={props.id}
      name={props.id}
      // Preact types each input type apart; one field component serves three of them.
      type={(props.type ?? "text") as "text"}
      autocomplete={props.autocomplete}
      required
      minLength={props.minLength}
      value={props.value}
      onInput={(e) => props.onInput(e.currentTarget.value)}
    />
  </p>
);

export const SignIn = () => {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useCommand();
  return (
    <Page title="Sign in">
      <form
        class="stack narrow"
        onSubmit={async (e) => {
          e.preventDefault();
          const s = await run(() => signIn(email, password));
          if (s?.kind === "signed-in") navigate(homeOf(s.me.roles));
        }}
      >
        <Field
          id="email"
          label="Email"
          type="email"
          autocomplete="username"
          value={email}
          onInput={setEmail}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={setPassword}
        />
        <Alert message={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <p>
          New here? <Link href="/signup">Create an account</Link>
        </p>
      </form>
    </Page>
  );
};

export const SignUp = () => {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useCommand();
  return (
    <Page title="Create an account">
      <form
        class="stack narrow"
        onSubmit={async (e) => {
          e.preventDefault();
          const s = await run(() => signUp(name, email, password));
          if (s?.kind === "signed-in") navigate("/");
        }}
      >
        <Field id="name" label="Name" autocomplete="name" value={name} onInput={setName} />
        <Field
          id="email"
          label="Email"
          type="email"
          autocomplete="email"
          value={email}
          onInput={setEmail}
        />
        <Field
          id="password"
          label="Password (at least 8 characters)"
          type="password"
          autocomplete="new-password"
          minLength={8}
          value={password}
          onInput={setPassword}
        />
        <Alert message={error} />
        <button type="submit" disabled={busy}>
          Create account
        </button>
        <p>
          Have an account? <Link href="/signin">Sign in</Link>
        </p>
      </form>
    </Page>
  );
};
