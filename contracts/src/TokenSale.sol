// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/**
 * @dev Sells a fixed stock of one ERC-20 (the sale token, held by this contract) at a set price, in native coin or
 * in one ERC-20 (the payment token, with EIP-2612 permit for a gasless buy through the forwarder).
 *
 * Pricing: `price` is the amount of payment token (its base units) for `PRICE_UNIT` (1e18) base units of the sale
 * token. A buy of `amountIn` receives `amountIn * PRICE_UNIT / price` (rounded down, in the sale's favour) at once.
 * A buy that would exceed the total cap or the buyer's cap reverts as a whole (no partial fill); `minOut` protects
 * the buyer from a price change by the admin between signing and inclusion.
 *
 * The buyer is `_msgSender()`: through the trusted forwarder, the account that signed the request. Proceeds stay
 * here until {withdrawProceeds} sends them to the proceeds recipient; unsold tokens go back by {withdrawUnsold}
 * after the end.
 *
 * Directly deployed sales are set up by their constructor; clones made by {TokenFactory} by {initialize}.
 */
contract TokenSale is Initializable, AccessControl, Pausable, ReentrancyGuardTransient, ERC2771Context {
    using SafeERC20 for IERC20;

    /// @dev The sale-token unit `price` is quoted for.
    uint256 public constant PRICE_UNIT = 1e18;
    /// @dev Role allowed to pause, set the price, and withdraw proceeds and unsold tokens.
    bytes32 public constant SALE_ADMIN_ROLE = keccak256("SALE_ADMIN_ROLE");

    struct Config {
        IERC20 saleToken;
        address paymentToken; // zero: native coin
        uint256 price; // payment base units per PRICE_UNIT sale base units
        uint64 start; // first second of the sale
        uint64 end; // first second after the sale
        uint256 totalCap; // most sale tokens sold overall
        uint256 perBuyerCap; // most sale tokens bought by one buyer
        address admin;
        address proceedsRecipient;
    }

    Config private _config;
    uint256 private _sold;
    mapping(address buyer => uint256) private _purchased;

    /// @dev `buyer` paid `amountIn` and received `amountOut` sale tokens.
    event Purchased(address indexed buyer, uint256 amountIn, uint256 amountOut);

    /// @dev The price became `price`.
    event PriceUpdated(uint256 price);

    /// @dev `amount` of proceeds went to `to`.
    event ProceedsWithdrawn(address indexed to, uint256 amount);

    /// @dev `amount` unsold sale tokens went to `to`.
    event UnsoldWithdrawn(address indexed to, uint256 amount);

    /// @dev The configuration is invalid (zero token, admin or recipient, zero price or caps, empty window).
    error TokenSaleInvalidConfig();

    /// @dev The sale is not open at `timestamp` (window `[start, end)`).
    error TokenSaleNotOpen(uint256 timestamp, uint64 start, uint64 end);

    /// @dev The buy gives nothing (`amountIn` too small for the price).
    error TokenSaleZeroAmount(uint256 amountIn);

    /// @dev The buy would give `amountOut`, less than the buyer's `minOut`.
    error TokenSaleSlippage(uint256 amountOut, uint256 minOut);

    /// @dev The buy of `amountOut` exceeds what is left under the total cap (`available`).
    error TokenSaleTotalCapExceeded(uint256 amountOut, uint256 available);

    /// @dev The buy of `amountOut` exceeds what is left under `buyer`'s cap (`available`).
    error TokenSaleBuyerCapExceeded(address buyer, uint256 amountOut, uint256 available);

    /// @dev The native value sent (`value`) is not what the buy needs (`expected`).
    error TokenSaleWrongValue(uint256 value, uint256 expected);

    /// @dev Unsold tokens can only be withdrawn after the end (`end`).
    error TokenSaleNotEnded(uint64 end);

    /**
     * @dev Sets up a sale from `config` and trusts `trustedForwarder_` (immutable, shared by clones). With a zero
     * `config_.admin`, deploys an implementation for {TokenFactory} clones, which can never be set up itself. Fund the
     * sale by transferring `config_.totalCap` sale tokens to it.
     *
     * Requirements:
     *
     * - as {initialize}, unless `config_.admin` is zero.
     */
    constructor(address trustedForwarder_, Config memory config_) ERC2771Context(trustedForwarder_) initializer {
        if (config_.admin == address(0)) {
            return; // an implementation
        }
        _setUp(config_);
    }

    /**
     * @dev Sets up a clone from `config`; `config_.admin` gets {DEFAULT_ADMIN_ROLE} and {SALE_ADMIN_ROLE}. Callable
     * once. The caller funds the sale with the sale tokens.
     *
     * Requirements:
     *
     * - not set up yet; non-zero sale token, admin and proceeds recipient; non-zero price, total cap and buyer cap;
     *   `start < end`.
     */
    function initialize(Config calldata config_) external initializer {
        _setUp(config_);
    }

    /// @dev The whole configuration.
    function config() external view returns (Config memory) {
        return _config;
    }

    /// @dev The token sold.
    function saleToken() external view returns (IERC20) {
        return _config.saleToken;
    }

    /// @dev The token paid with; zero for the native coin.
    function paymentToken() external view returns (address) {
        return _config.paymentToken;
    }

    /// @dev Payment base units per `PRICE_UNIT` sale-token base units.
    function price() external view returns (uint256) {
        return _config.price;
    }

    /// @dev The sale window: open from `start` (inclusive) to `end` (exclusive).
    function window() external view returns (uint64 start, uint64 end) {
        return (_config.start, _config.end);
    }

    /// @dev The total cap and the per-buyer cap, in sale tokens.
    function caps() external view returns (uint256 totalCap, uint256 perBuyerCap) {
        return (_config.totalCap, _config.perBuyerCap);
    }

    /// @dev Sale tokens sold so far.
    function sold() external view returns (uint256) {
        return _sold;
    }

    /// @dev Sale tokens still for sale under the total cap.
    function remaining() public view returns (uint256) {
        return _config.totalCap - _sold;
    }

    /// @dev Sale tokens bought by `buyer` so far.
    function purchased(address buyer) external view returns (uint256) {
        return _purchased[buyer];
    }

    /// @dev Whether buying is possible now (within the window and not paused).
    function isOpen() public view returns (bool) {
        return !paused() && block.timestamp >= _config.start && block.timestamp < _config.end;
    }

    /// @dev Sale tokens a payment of `amountIn` buys at the current price (ignoring caps).
    function quote(uint256 amountIn) public view returns (uint256 amountOut) {
        return Math.mulDiv(amountIn, PRICE_UNIT, _config.price);
    }

    /// @dev The smallest payment that buys at least `amountOut` sale tokens at the current price.
    function costOf(uint256 amountOut) external view returns (uint256 amountIn) {
        return Math.mulDiv(amountOut, _config.price, PRICE_UNIT, Math.Rounding.Ceil);
    }

    /**
     * @dev Buys with `amountIn` of the payment token (native: send `amountIn` as value; ERC-20: approved to this
     * contract) and sends the sale tokens to the buyer at once. Returns the amount bought.
     *
     * Requirements:
     *
     * - not paused; within the window; the payment buys a non-zero amount, at least `minOut`, within the total cap
     *   and the buyer's cap.
     * - native: the value is `amountIn`; ERC-20: no value, and an allowance of at least `amountIn`.
     *
     * Emits a {Purchased} event.
     */
    function buy(uint256 amountIn, uint256 minOut) external payable nonReentrant returns (uint256 amountOut) {
        return _buy(_msgSender(), amountIn, minOut);
    }

    /**
     * @dev As {buy} for an EIP-2612 payment token, approving this sale by the buyer's permit signature in the same
     * transaction (a gasless buy through the forwarder). A failed permit falls back to the existing allowance.
     *
     * Requirements:
     *
     * - as {buy}; the payment token is an ERC-20.
     *
     * Emits a {Purchased} event.
     */
    function buyWithPermit(uint256 amountIn, uint256 minOut, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
        returns (uint256 amountOut)
    {
        address buyer = _msgSender();
        address payment = _config.paymentToken;
        if (payment == address(0)) {
            revert TokenSaleWrongValue(0, amountIn);
        }
        try IERC20Permit(payment).permit(buyer, address(this), amountIn, deadline, v, r, s) {} catch {}
        return _buy(buyer, amountIn, minOut);
    }

    /**
     * @dev Sets the price. Buyers are protected by their `minOut`.
     *
     * Requirements:
     *
     * - the caller has {SALE_ADMIN_ROLE}; `newPrice` is not zero.
     *
     * Emits a {PriceUpdated} event.
     */
    function setPrice(uint256 newPrice) external onlyRole(SALE_ADMIN_ROLE) {
        if (newPrice == 0) {
            revert TokenSaleInvalidConfig();
        }
        _config.price = newPrice;
        emit PriceUpdated(newPrice);
    }

    /**
     * @dev Sends all proceeds held to the proceeds recipient. Returns the amount.
     *
     * Requirements:
     *
     * - the caller has {SALE_ADMIN_ROLE}.
     *
     * Emits a {ProceedsWithdrawn} event.
     */
    function withdrawProceeds() external onlyRole(SALE_ADMIN_ROLE) nonReentrant returns (uint256 amount) {
        address to = _config.proceedsRecipient;
        address payment = _config.paymentToken;
        amount = payment == address(0) ? address(this).balance : IERC20(payment).balanceOf(address(this));
        emit ProceedsWithdrawn(to, amount);
        if (payment == address(0)) {
            Address.sendValue(payable(to), amount);
        } else {
            IERC20(payment).safeTransfer(to, amount);
        }
    }

    /**
     * @dev After the end, sends every sale token still held to `to`. Returns the amount.
     *
     * Requirements:
     *
     * - the caller has {SALE_ADMIN_ROLE}; the sale has ended.
     *
     * Emits an {UnsoldWithdrawn} event.
     */
    function withdrawUnsold(address to) external onlyRole(SALE_ADMIN_ROLE) nonReentrant returns (uint256 amount) {
        if (block.timestamp < _config.end) {
            revert TokenSaleNotEnded(_config.end);
        }
        IERC20 token = _config.saleToken;
        amount = token.balanceOf(address(this));
        emit UnsoldWithdrawn(to, amount);
        token.safeTransfer(to, amount);
    }

    /**
     * @dev Pauses buying.
     *
     * Requirements:
     *
     * - the caller has {SALE_ADMIN_ROLE}; not paused.
     *
     * Emits a {Paused} event.
     */
    function pause() external onlyRole(SALE_ADMIN_ROLE) {
        _pause();
    }

    /**
     * @dev Unpauses buying.
     *
     * Requirements:
     *
     * - the caller has {SALE_ADMIN_ROLE}; paused.
     *
     * Emits an {Unpaused} event.
     */
    function unpause() external onlyRole(SALE_ADMIN_ROLE) {
        _unpause();
    }

    function _setUp(Config memory config_) private {
        if (
            address(config_.saleToken) == address(0) || config_.admin == address(0)
                || config_.proceedsRecipient == address(0) || config_.price == 0 || config_.totalCap == 0
                || config_.perBuyerCap == 0 || config_.start >= config_.end
                || config_.paymentToken == address(config_.saleToken)
        ) {
            revert TokenSaleInvalidConfig();
        }
        _config = config_;
        _grantRole(DEFAULT_ADMIN_ROLE, config_.admin);
        _grantRole(SALE_ADMIN_ROLE, config_.admin);
    }

    function _buy(address buyer, uint256 amountIn, uint256 minOut) private whenNotPaused returns (uint256 amountOut) {
        Config storage cfg = _config;
        if (block.timestamp < cfg.start || block.timestamp >= cfg.end) {
            revert TokenSaleNotOpen(block.timestamp, cfg.start, cfg.end);
        }
        amountOut = quote(amountIn);
        if (amountOut == 0) {
            revert TokenSaleZeroAmount(amountIn);
        }
        if (amountOut < minOut) {
            revert TokenSaleSlippage(amountOut, minOut);
        }
        uint256 available = cfg.totalCap - _sold;
        if (amountOut > available) {
            revert TokenSaleTotalCapExceeded(amountOut, available);
        }
        uint256 bought = _purchased[buyer];
        available = cfg.perBuyerCap > bought ? cfg.perBuyerCap - bought : 0;
        if (amountOut > available) {
            revert TokenSaleBuyerCapExceeded(buyer, amountOut, available);
        }
        _sold += amountOut;
        _purchased[buyer] = bought + amountOut;
        emit Purchased(buyer, amountIn, amountOut);

        address payment = cfg.paymentToken;
        uint256 expected = payment == address(0) ? amountIn : 0;
        if (msg.value != expected) {
            revert TokenSaleWrongValue(msg.value, expected);
        }
        if (payment != address(0)) {
            IERC20(payment).safeTransferFrom(buyer, address(this), amountIn);
        }
        cfg.saleToken.safeTransfer(buyer, amountOut);
    }

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
