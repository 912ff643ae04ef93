// Quote form: "Add a line" clones the empty line-item row of the Django formset.
document.getElementById("add-line").addEventListener("click", function () {
  var total = document.getElementById("id_lines-TOTAL_FORMS");
  var n = parseInt(total.value, 10);
  var html = document.getElementById("quote-line-template").innerHTML.replace(/__prefix__/g, String(n));
  document.getElementById("quote-lines").insertAdjacentHTML("beforeend", html);
  total.value = String(n + 1);
});
