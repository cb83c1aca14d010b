import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { connectEngine } from "./app/connectEngine";
import "./styles.css";

// Subscribing to engine events happens once, before the first render, not in an effect.
connectEngine();

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
