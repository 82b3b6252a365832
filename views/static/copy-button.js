// Copy buttons: a button with data-copy="<input id>" copies that input's value. The buttons stay
// hidden without script; the value can always be selected and copied by hand.
for (const button of document.querySelectorAll('button[data-copy]')) {
  const field = document.getElementById(button.dataset.copy);
  const status = button.closest('section')?.querySelector('.copy-status');
  if (!field) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = 'Copied to the clipboard.';
    } catch {
      field.select();
      if (status) status.textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
    }
  });
}
