// The periodic task form of the console: the crontab field's help shows a readable translation of the chosen
// schedule. django-celery-beat does this in an inline script; here it is a static file (Content-Security-Policy).
"use strict";
(function () {
  const $ = django.jQuery;
  const readableCrontabs = JSON.parse(document.getElementById("readable-crontabs").textContent);
  const originalCrontabHelp = document.getElementById("periodic-task-overrides").dataset.crontabHelp;
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    $(".field-crontab .help").html(`${originalCrontabHelp}<br/>Translation: ${readableCrontabs[$("#id_crontab").val()]}`);
  });
})();
